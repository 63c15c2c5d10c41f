import { Tokenizer } from "@huggingface/tokenizers";

interface TokenizerConfig {
  model_max_length?: number;
}

/** Tokenizer configs say 1e30 when a model has no limit of its own; beyond this, assume none was given. */
const NO_LIMIT = 1_000_000;
const PROBE = "a";

/**
 * A Hugging Face tokenizer (tokenizer.json + tokenizer_config.json through @huggingface/tokenizers) that
 * can split a long text into overlapping windows, each with the special tokens the model expects.
 */
export class HfTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    private readonly prefix: number[],
    private readonly suffix: number[],
  ) {}

  static fromFiles(tokenizerJson: unknown, tokenizerConfig: unknown): HfTokenizer {
    const config = (tokenizerConfig ?? {}) as TokenizerConfig;
    const tokenizer = new Tokenizer(tokenizerJson as object, config as object);
    const limit = Number(config.model_max_length);
    const maxLength = Number.isFinite(limit) && limit > 0 && limit < NO_LIMIT ? limit : 512;
    // The special tokens around a text: what encoding with them adds to encoding without them.
    const full: number[] = tokenizer.encode(PROBE).ids;
    const bare: number[] = tokenizer.encode(PROBE, { add_special_tokens: false }).ids;
    const at = full.findIndex((_, index) => bare.every((id, offset) => full[index + offset] === id));
    const prefix = at >= 0 ? full.slice(0, at) : [];
    const suffix = at >= 0 ? full.slice(at + bare.length) : [];
    return new HfTokenizer(tokenizer, maxLength, prefix, suffix);
  }

  /** Text of ids, without special tokens. */
  decode(ids: number[]): string {
    return this.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  /** Ids with the model's special tokens, untruncated. */
  encode(text: string): { ids: number[] } {
    return { ids: this.tokenizer.encode(text).ids };
  }

  /**
   * The text as windows of at most `maxLength` ids, each wrapped in the special tokens; consecutive
   * windows share `stride` content tokens. A text that fits is one window, equal to `encode(text)`.
   * With stride 0 the first window is the text truncated as transformers' tokenizers truncate it.
   */
  windows(text: string, maxLength: number, stride: number): number[][] {
    const content: number[] = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    const budget = Math.max(1, maxLength - this.prefix.length - this.suffix.length);
    if (content.length <= budget) return [this.encode(text).ids];
    const step = Math.max(1, budget - Math.min(stride, budget - 1));
    const windows: number[][] = [];
    for (let start = 0; ; start += step) {
      windows.push([...this.prefix, ...content.slice(start, start + budget), ...this.suffix]);
      if (start + budget >= content.length) break;
    }
    return windows;
  }
}
