/**
 * Stop sequences, matched on the completion's text (so across token boundaries). While streaming,
 * the end of the text that could still become a stop sequence is held back until it is decided.
 */
export class StopMatcher {
  private readonly longest: number;

  constructor(private readonly stops: readonly string[]) {
    this.longest = Math.max(0, ...stops.map((stop) => stop.length));
  }

  /** Where the first stop sequence starts in `text`, looking only at text that grew past `checked`. */
  find(text: string, checked: number): number | undefined {
    let first: number | undefined;
    const from = Math.max(0, checked - this.longest + 1);
    for (const stop of this.stops) {
      const at = text.indexOf(stop, from);
      if (at >= 0 && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  /** How much of `text` can be sent: all but the longest ending that starts a stop sequence. */
  safeLength(text: string): number {
    for (let keep = Math.min(this.longest - 1, text.length); keep > 0; keep -= 1) {
      const tail = text.slice(text.length - keep);
      if (this.stops.some((stop) => stop.startsWith(tail))) return text.length - keep;
    }
    return text.length;
  }
}
