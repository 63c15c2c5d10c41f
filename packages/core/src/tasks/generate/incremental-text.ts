/** Byte-fallback tokens arrive one byte at a time; give up waiting for a character after this many. */
const MAX_PENDING = 8;
const REPLACEMENT = "\uFFFD";

/**
 * A completion's text, decoded as tokens arrive. Each new piece is decoded after one anchor token (the
 * previous one) so the tokenizer's word-boundary spaces come out right, and held back while it ends in
 * an incomplete UTF-8 sequence (byte-fallback tokens): O(1) per token, never re-decoding the whole text.
 */
export class IncrementalText {
  private pending: number[] = [];
  private anchorText: string;
  text = "";

  constructor(
    private readonly decode: (ids: number[]) => string,
    private anchor: number,
  ) {
    this.anchorText = decode([anchor]);
  }

  /** Adds a token; returns the text it completed (possibly empty). */
  push(token: number): string {
    this.pending.push(token);
    const piece = this.piece();
    if (piece.endsWith(REPLACEMENT) && this.pending.length < MAX_PENDING) return "";
    return this.commit(piece);
  }

  /** Whatever is still pending, decoded as it is. */
  flush(): string {
    return this.pending.length > 0 ? this.commit(this.piece()) : "";
  }

  private piece(): string {
    const after = this.decode([this.anchor, ...this.pending]);
    return after.startsWith(this.anchorText) ? after.slice(this.anchorText.length) : after;
  }

  private commit(piece: string): string {
    this.anchor = this.pending.at(-1) as number;
    this.anchorText = this.decode([this.anchor]);
    this.pending = [];
    this.text += piece;
    return piece;
  }
}
