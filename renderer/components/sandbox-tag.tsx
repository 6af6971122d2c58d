/** The "Sandbox" tag beside a profile name, left out when the name already says it. */

/** Tags a sandbox profile, unless it is named "Sandbox" (the tag would only repeat the name). */
export function SandboxTag({ name, isSandbox }: { name: string | null; isSandbox: boolean }) {
  if (!isSandbox || (name ?? '').trim().toLowerCase() === 'sandbox') return null;
  return <span className="badge">Sandbox</span>;
}
