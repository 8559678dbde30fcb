// tokenizer.json and tokenizer_config.json for the tiny models: a lowercase
// WordPiece tokenizer for the BERT embedder and a byte-level BPE one (ChatML) for the LMs.

import { BYTE_CHARS, trainMerges } from './bpe.ts';
import { BPE_TRAINING_TEXT, EMBEDDER_WORDS } from './corpus.ts';

/** A tokenizer's two files plus the ids the model graphs need. */
export interface TinyTokenizer {
  /** Contents of tokenizer.json. */
  tokenizer: Record<string, unknown>;
  /** Contents of tokenizer_config.json. */
  tokenizerConfig: Record<string, unknown>;
  /** Vocabulary size, including special tokens. */
  vocabSize: number;
}

function addedToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

/** Special tokens of the embedder, in id order. */
export const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * Builds the embedder's WordPiece tokenizer: specials, every printable ASCII
 * character, its `##` continuation, then whole words. Any ASCII text therefore
 * tokenizes without `[UNK]`.
 */
export function buildBertTokenizer(modelMaxLength: number): TinyTokenizer {
  const tokens = [...BERT_SPECIALS, ...PRINTABLE_ASCII, ...PRINTABLE_ASCII.map((c) => `##${c}`)];
  const seen = new Set(tokens);
  for (const word of EMBEDDER_WORDS) {
    if (!seen.has(word)) {
      seen.add(word);
      tokens.push(word);
    }
  }
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [vocab[token]], tokens: [token] });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const tok = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIALS.map((token) => addedToken(vocab[token], token)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
      pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
  return { tokenizer, tokenizerConfig, vocabSize: tokens.length };
}

/** Special tokens of the LMs, in id order (ids 0, 1, 2). */
export const LM_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
/** Id of `<|endoftext|>` (bos_token_id in generation_config.json). */
export const LM_BOS_ID = 0;
/** Id of `<|im_start|>`. */
export const LM_IM_START_ID = 1;
/** Id of `<|im_end|>`: the LMs' eos and pad token. */
export const LM_EOS_ID = 2;
/** Id of the byte token for `\n` (`Ċ`): byte tokens follow the specials in byte order. */
export const LM_NEWLINE_ID = LM_SPECIALS.length + 0x0a;

/** Number of BPE merges learned for the LM tokenizer. */
const LM_MERGES = 48;

/** ChatML, as Qwen2-style chat models ship it. */
const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Builds the LMs' byte-level BPE tokenizer: the 3 specials, the 256 byte
 * characters, then one token per learned merge. Any text round-trips.
 */
export function buildLmTokenizer(modelMaxLength: number): TinyTokenizer {
  const merges = trainMerges(BPE_TRAINING_TEXT, LM_MERGES);
  const tokens: string[] = [...LM_SPECIALS, ...BYTE_CHARS];
  const seen = new Set(tokens);
  for (const [left, right] of merges) {
    const merged = left + right;
    if (!seen.has(merged)) {
      seen.add(merged);
      tokens.push(merged);
    }
  }
  const vocab = Object.fromEntries(tokens.map((token, id) => [token, id]));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: LM_SPECIALS.map((token, id) => addedToken(id, token)),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'GPT2Tokenizer',
    model_max_length: modelMaxLength,
    bos_token: null,
    eos_token: LM_SPECIALS[LM_EOS_ID],
    pad_token: LM_SPECIALS[LM_EOS_ID],
    unk_token: null,
    additional_special_tokens: [LM_SPECIALS[LM_IM_START_ID], LM_SPECIALS[LM_EOS_ID]],
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
    errors: 'replace',
    chat_template: CHATML_TEMPLATE,
  };
  return { tokenizer, tokenizerConfig, vocabSize: tokens.length };
}
