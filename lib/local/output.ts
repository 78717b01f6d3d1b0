/**
 * The local runtime's own lines on stdout and stderr. Whoever reads them may go away
 * (`npm start | head`, a log collector that died or restarts): a write then fails (EPIPE; EIO from
 * a closed terminal) and the stream reports it as an 'error' event, which with no listener is an
 * uncaught exception — whose report, written to the same closed stream, fails again, without end.
 * Here a write failure is nobody's exception: the stream counts as closed from then on and later
 * lines to it are dropped. The handlers' logger (console) writes to the same streams, and is
 * covered by the same listener.
 */
const closed = new Set<NodeJS.WriteStream>();

/** Makes write failures of stdout and stderr harmless, for the whole process; once, before any output. */
export const guardOutput = (): void => {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners('error').includes(markClosed)) continue;
    stream.on('error', markClosed);
  }
};

function markClosed(this: NodeJS.WriteStream): void {
  closed.add(this);
}

const write = (stream: NodeJS.WriteStream, line: string): void => {
  if (closed.has(stream)) return;
  try {
    stream.write(`${line}\n`);
  } catch {
    closed.add(stream);
  }
};

/** A line on stdout, unless nobody reads it any more. */
export const print = (line: string): void => write(process.stdout, line);

/** A line on stderr, unless nobody reads it any more. */
export const printError = (line: string): void => write(process.stderr, line);
