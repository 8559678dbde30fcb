// Fixed text for the tiny tokenizers: the whole-word WordPiece vocabulary of the
// embedder and the paragraph the byte-level BPE merges are trained on.

/**
 * Whole words in the embedder's vocabulary (lowercase). Words outside this list
 * still tokenize, as single characters, so retrieval works best on text made of
 * these: everyday English plus the vocabulary of software docs, refunds,
 * accounts, billing, APIs and sync.
 */
export const EMBEDDER_WORDS: readonly string[] = `
the of and to in is it you that he was for on are as with his they at be this have from or one had by
word but not what all were we when your can said there use an each which she do how their if will up
other about out many then them these so some her would make like him into time has look two more write
go see number no way could people my than first been call who its now find long down day did get come
made may part over new after also back any only just our very well me here where why because before
through still should must same those both such while every again never always often sometimes
am being does doing done having let lets need needs want wants know knows help helps using used
question questions answer answers ask asked explain example examples guide guides tutorial overview
doc docs documentation page pages section sections chapter article articles note notes faq readme
manual reference topic topics search find found result results link links title content contents
account accounts user users login log sign signed password email username profile settings setting
security secure verify verification code factor reset change update updated delete remove create
refund refunds request requests return returns billing bill bills invoice invoices payment payments
pay paid charge charges charged card credit debit price pricing plan plans subscription subscriptions
cancel cancellation trial free upgrade downgrade renew renewal receipt order orders purchase money
cost costs fee fees tax month monthly year yearly annual business days day hours week weeks support
contact team customer customers service policy policies terms eligible eligibility within processed
api apis key keys token tokens endpoint endpoints client server request response status error errors
rate limit limits http https json sdk library version versions release releases install installation
configure configuration option options default value values parameter parameters header headers
sync syncing synced device devices offline online data file files folder folders upload download
backup restore conflict conflicts calendar contacts share shared sharing mobile app apps desktop web
browser network connection storage cloud local save saved open close start stop run running
model models train training tune dataset datasets chunk chunks document documents oracle
distractor distractors context retrieval retrieve embedding embeddings vector vectors index query
cat cats dog dogs sat mat sun sky blue red green weather rain cold warm food coffee tea water
good great bad best better fast slow easy hard simple quick small large big old right left next last
yes please thanks thank sorry hello hi welcome today tomorrow yesterday morning night
`
  .split(/\s+/)
  .filter((word) => word.length > 0);

/**
 * The paragraph the LM tokenizer's merges are learned from. It contains no
 * newlines, so no merge ever absorbs `\n`: the echo model relies on the newline
 * that ends a ChatML role header being a token of its own.
 */
export const BPE_TRAINING_TEXT = [
  'The assistant answers questions about the documentation. The user asks how to request a refund,',
  'and the assistant explains that refunds take five business days to process. Billing questions,',
  'account settings, password resets and the sync of data between devices are covered in the guide.',
  'The API returns an error when the token is missing, and the user should check the settings page.',
  'The user asks the assistant again, and the assistant answers with the same answer as before.',
].join(' ');
