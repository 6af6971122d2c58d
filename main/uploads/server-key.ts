/** The key of a server and account: the API base URL and the username (no secret), e.g. `ana@https://…/v1`. */
export function serverKey(baseUrl: string, account: string | undefined): string {
  return `${account ?? ''}@${baseUrl.replace(/\/+$/, '')}`;
}
