// Lets messages already queued for this worker (a cancel, a Stop) run before the next step of a
// long loop: ONNX Runtime on WASM resolves through microtasks only, so without this a worker would
// not see a cancel until the whole job was done.
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    // NOTE: in Node a MessagePort keeps the process alive unless unref'd.
    (channel.port1 as unknown as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
}
