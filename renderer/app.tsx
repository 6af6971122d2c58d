/** The application shell: for now the product name and where the sandbox answers. */
export function App() {
  const sandbox = new URLSearchParams(location.search).get('sandbox');
  return (
    <main>
      <h1>Alegion Uploader</h1>
      <p data-testid="sandbox-address">{sandbox ? `Sandbox: ${sandbox}` : 'Sandbox: not started'}</p>
    </main>
  );
}
