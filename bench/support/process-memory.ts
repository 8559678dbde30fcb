// Resident memory of this process's descendants (a launched Chromium: browser, renderer, GPU and utility
// processes), read from /proc. Linux only: elsewhere NaN, and the figure says so.
import { readdir, readFile } from 'node:fs/promises';

export async function descendantsRssMB(root = process.pid): Promise<number> {
  const entries = await readdir('/proc').catch(() => null);
  if (!entries) return NaN;
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of entries.filter((e) => /^\d+$/.test(e))) {
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const ppid = /^PPid:\s+(\d+)/m.exec(status);
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (ppid) parent.set(Number(name), Number(ppid[1]));
    if (kb) rss.set(Number(name), Number(kb[1]));
  }
  const under = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, kb] of rss) if (under(pid)) total += kb;
  return total / 1024;
}
