/**
 * The lobby's static facts from `/api/lobby`, waiting while the controller starts (503) and showing
 * the login again when the session has ended (401).
 */
export async function fetchLobby<T>(): Promise<T> {
  for (;;) {
    const res = await fetch('/api/lobby', { credentials: 'same-origin' });
    if (res.ok) return (await res.json()) as T;
    if (res.status === 401) location.reload();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
