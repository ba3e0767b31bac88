import { el, fill } from './dom.js';

export interface Me {
  readonly name: string;
  readonly role: 'viewer' | 'operator' | 'admin' | 'officer' | 'kiosk';
  readonly counterId: string | null;
  readonly mustChangePassword: boolean;
}

async function postJson(url: string, body: unknown): Promise<{ ok: boolean; reason?: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  try {
    return (await res.json()) as { ok: boolean; reason?: string };
  } catch {
    return { ok: false, reason: `the server answered ${res.status}` };
  }
}

function loginForm(root: HTMLElement, title: string, resolve: () => void): void {
  const name = el('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'error', role: 'alert', id: 'login-error' });
  const form = el(
    'form',
    { class: 'login', id: 'login-form' },
    el('h1', {}, title),
    el('label', {}, 'Name', name),
    el('label', {}, 'Password', password),
    el('button', { type: 'submit', class: 'primary' }, 'Log in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void postJson('/api/login', { name: name.value, password: password.value }).then((r) => {
      if (r.ok) resolve();
      else error.textContent = r.reason ?? 'could not log in';
    });
  });
  fill(root, form);
  name.focus();
}

function changePasswordForm(root: HTMLElement, resolve: () => void): void {
  const current = el('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
  const next = el('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'login' },
    el('h1', {}, 'Choose your own password'),
    el('p', {}, 'This account still has its generated password. Choose a new one: at least 10 characters, not a common password, a repetition or a run of keys.'),
    el('label', {}, 'Current password', current),
    el('label', {}, 'New password', next),
    el('button', { type: 'submit', class: 'primary' }, 'Change password'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void postJson('/api/password', { password: current.value, newPassword: next.value }).then((r) => {
      if (r.ok) resolve();
      else error.textContent = r.reason ?? 'could not change the password';
    });
  });
  fill(root, form);
}

/**
 * The signed-in user, asking for a login first when there is no session. Pages call this before
 * opening the socket: a socket without a session is refused anyway.
 */
export async function signedIn(root: HTMLElement, title: string): Promise<Me> {
  for (;;) {
    const res = await fetch('/api/me', { credentials: 'same-origin' });
    if (res.ok) {
      const body = (await res.json()) as { user: Me };
      if (!body.user.mustChangePassword) return body.user;
      await new Promise<void>((resolve) => changePasswordForm(root, resolve));
      continue;
    }
    await new Promise<void>((resolve) => loginForm(root, title, resolve));
  }
}

export async function logOut(): Promise<void> {
  await postJson('/api/logout', {});
  location.reload();
}
