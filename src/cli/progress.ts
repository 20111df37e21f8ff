/**
 * Progress for long work: a bar with ETA on a terminal, a plain line every 10 seconds otherwise (logs,
 * CI, pipes).
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Reports `done` of `total` for the stage called `label`; a new label starts a new bar. */
  update(label: string, done: number, total: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements Progress {
  private bar?: cliProgress.SingleBar;
  private label = "";

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(label: string, done: number, total: number): void {
    if (label !== this.label) {
      this.stop();
      this.label = label;
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: `${label.padEnd(12)} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, done);
    }
    this.bar?.setTotal(total);
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.label = "";
  }
}

/** Writes a line at most every 10 seconds per stage, and one when the stage completes. */
class LineProgress implements Progress {
  private label = "";
  private lastLine = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(label: string, done: number, total: number): void {
    const now = performance.now();
    if (label !== this.label) {
      this.label = label;
      this.lastLine = now;
    }
    if (done === total || now - this.lastLine >= 10_000) {
      this.stream.write(`${label}: ${done}/${total}\n`);
      this.lastLine = now;
    }
  }

  stop(): void {
    this.label = "";
  }
}
