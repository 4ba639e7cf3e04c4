// A progress bar on stderr for long work: redrawn in place on a terminal,
// one line per change otherwise (logs, CI), so stdout stays parseable.

export interface ProgressState {
  done: number;
  total: number;
  label: string;
}

export class ProgressBar {
  private last = "";
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 24,
  ) {}

  update(state: ProgressState): void {
    const ratio = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
    const filled = Math.round(ratio * this.width);
    const line = `[${"#".repeat(filled)}${".".repeat(this.width - filled)}] ${state.done}/${state.total} ${state.label}`;
    if (line === this.last) return;
    this.last = line;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(`${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY && this.last) this.stream.write("\n");
  }
}
