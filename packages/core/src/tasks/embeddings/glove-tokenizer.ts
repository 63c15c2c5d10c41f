interface GloveVocab {
  pad: number;
  unk: number;
  offset: number;
  lowercase: boolean;
  words: string[];
}

/**
 * GloVe's tokens: lowercase, then the first alternative that matches at each position: the clitic
 * `n't`, a clitic such as `'s`, `'re`, `'ll`, a word or number (inner `-`/`.` allowed: e-mail, 3.5), or a
 * single symbol. So "don't" is "do" + "n't" (the word alternative must stop before "n't").
 */
const TOKEN = /n't|'[a-z]+|[a-z0-9]+?(?=n't)|[a-z0-9]+(?:[-.][a-z0-9]+)*|[^\sa-z0-9]/g;

export class GloveTokenizer {
  private constructor(
    private readonly vocab: GloveVocab,
    private readonly index: Map<string, number>,
  ) {}

  static fromJson(json: unknown): GloveTokenizer {
    const vocab = json as Partial<GloveVocab>;
    if (!Array.isArray(vocab.words) || typeof vocab.offset !== "number" || typeof vocab.unk !== "number") {
      throw new Error("GloVe vocab.json needs words, offset, unk");
    }
    const full = { pad: 0, lowercase: true, ...vocab } as GloveVocab;
    return new GloveTokenizer(full, new Map(full.words.map((word, position) => [word, position])));
  }

  tokens(text: string): string[] {
    return (this.vocab.lowercase ? text.toLowerCase() : text).match(TOKEN) ?? [];
  }

  /** Ids of the tokens (unknown -> unk); empty for a text without tokens. */
  ids(text: string): number[] {
    return this.tokens(text).map((token) => {
      const position = this.index.get(token);
      return position === undefined ? this.vocab.unk : this.vocab.offset + position;
    });
  }
}
