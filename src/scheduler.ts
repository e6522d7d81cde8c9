// Yielding to the browser: long work is cut into tasks, so input and paint get their turn.

/**
 * Runs `task` in a new task (a MessageChannel message: unlike setTimeout, not clamped to 4 ms
 * after a few rounds); with `afterFrame`, only after the next frame is painted. Returns a cancel.
 */
export function nextTask(task: () => void, afterFrame = false): () => void {
  let cancelled = false;
  let frame = 0;
  const run = () => {
    if (!cancelled) task();
  };
  const post = () => {
    if (typeof MessageChannel !== 'function') return void setTimeout(run);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      run();
    };
    channel.port2.postMessage(null);
  };
  if (afterFrame && typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(post);
  else post();
  return () => {
    cancelled = true;
    if (frame) cancelAnimationFrame(frame);
  };
}

/** A promise of `nextTask`. */
export const yieldToBrowser = (): Promise<void> => new Promise((resolve) => void nextTask(resolve));
