// Lets messages already queued for this worker (a cancel, a Stop) run before the next step of a
// long loop: ONNX Runtime on WASM resolves through microtasks only, so without this a worker would
// not see a cancel until the whole job was done.
type NodePort = MessagePort & { ref?: () => void; unref?: () => void };
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Resolves after one macrotask: a MessageChannel round trip (far cheaper than setTimeout's clamped 1-4 ms in browsers). */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    const port = channel.port1 as NodePort;
    port.onmessage = () => {
      waiting.shift()?.();
      if (waiting.length === 0) port.unref?.();
    };
  }
  // NOTE: in Node a MessagePort keeps the process alive: only while a yield is pending, so an idle
  // worker lets the process exit and a pending yield never lets it exit under it.
  (channel.port1 as NodePort).ref?.();
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}

/**
 * A yield for loops whose steps can be much shorter than a yield costs (a tiny model decodes a token
 * in a fraction of a millisecond; a yield costs tens of µs): it yields on the first call and then
 * only once `intervalMs` of work has passed since the last yield, so a queued cancel waits at most
 * about `intervalMs` plus one step. Steps longer than `intervalMs` yield every time.
 */
export function throttledYield(intervalMs: number): () => Promise<void> {
  let last = -Infinity;
  return async () => {
    if (performance.now() - last < intervalMs) return;
    await yieldToEventLoop();
    last = performance.now();
  };
}
