// The remote endpoint's API key: kept for this tab only (sessionStorage) unless "Remember on this device" is ticked
// (localStorage); unticking deletes it there; a key stored before the choice existed stays remembered.
import { describe, expect, test } from 'vitest';
import { REMOTE_API_KEY_KEY, REMOTE_SETTINGS_KEY, RemoteSettings } from '../../src/lib/state/question-remote.svelte';
import { MemoryStorage } from '../support/memory-storage';

/** One browser: localStorage lives on, sessionStorage only as long as the tab. */
function browser() {
  const local = new MemoryStorage();
  let session = new MemoryStorage();
  return {
    local,
    get session() {
      return session;
    },
    /** The app opened again in this tab (a reload): both storages are kept. */
    reload: () => new RemoteSettings(local, session),
    /** The tab closed and the app opened in a new one: sessionStorage starts empty. */
    reopen: () => new RemoteSettings(local, (session = new MemoryStorage())),
  };
}

describe('API key', () => {
  test('by default it lasts until the tab closes and never reaches localStorage', () => {
    const b = browser();
    const remote = b.reload();
    expect(remote.rememberKey).toBe(false);
    remote.apiKey = 'sk-secret';
    expect(b.local.getItem(REMOTE_API_KEY_KEY)).toBeNull();
    expect(JSON.stringify([...Array(b.local.length).keys()].map((i) => b.local.getItem(b.local.key(i)!)))).not.toContain('sk-secret');
    expect(remote.config.apiKey).toBe('sk-secret');
    expect(b.reload().apiKey).toBe('sk-secret');
    expect(b.reopen().apiKey).toBe('');
  });

  test('"Remember on this device" keeps it across tabs; unticking deletes it from localStorage', () => {
    const b = browser();
    const remote = b.reload();
    remote.apiKey = 'sk-kept';
    remote.rememberKey = true;
    expect(b.local.getItem(REMOTE_API_KEY_KEY)).toBe('sk-kept');
    expect(b.session.getItem(REMOTE_API_KEY_KEY)).toBeNull();
    const next = b.reopen();
    expect([next.apiKey, next.rememberKey]).toEqual(['sk-kept', true]);
    next.rememberKey = false;
    expect(b.local.getItem(REMOTE_API_KEY_KEY)).toBeNull();
    expect(next.apiKey).toBe('sk-kept'); // still usable in this tab
    expect(b.reload().apiKey).toBe('sk-kept');
    expect(b.reopen().apiKey).toBe('');
  });

  test('while remembered, an edited or cleared key is stored or deleted in localStorage', () => {
    const b = browser();
    const remote = b.reload();
    remote.rememberKey = true;
    remote.apiKey = 'sk-1';
    remote.apiKey = 'sk-2';
    expect(b.reopen().apiKey).toBe('sk-2');
    remote.apiKey = '';
    expect(b.local.getItem(REMOTE_API_KEY_KEY)).toBeNull();
  });

  test('a key stored in localStorage by an earlier version stays remembered, with the other settings', () => {
    const b = browser();
    b.local.setItem(REMOTE_SETTINGS_KEY, JSON.stringify({ baseUrl: 'https://api.example/v1', model: 'm' }));
    b.local.setItem(REMOTE_API_KEY_KEY, 'sk-old');
    const remote = b.reopen();
    expect(remote.config).toEqual({ baseUrl: 'https://api.example/v1', model: 'm', apiKey: 'sk-old' });
    expect(remote.rememberKey).toBe(true);
  });
});
