// `npm run raft -- <command>`: the RAFT pipeline from the command line, on the app's own modules.
import { CliError } from './cli-error';
import { build, BUILD_HELP } from './commands/build';
import { evaluate, EVAL_HELP } from './commands/eval';
import { evalRetrieval, EVAL_RETRIEVAL_HELP } from './commands/eval-retrieval';
import { train, TRAIN_HELP } from './commands/train';
import { describeSystemError, isSystemError } from './fs-errors';

const HELP = `Usage: npm run raft -- <command> [flags]

Commands:
  build            build a RAFT dataset (train.jsonl, test.jsonl, manifest.json)
  eval-retrieval   measure the retriever alone: recall@k, MRR, article recall@k
  eval             answer the test questions with one or two language models and score them
  train            fine-tune a language model with LoRA on a chat-format dataset (the app's trainer)
  help [command]   this text, or a command's flags

${BUILD_HELP}

${EVAL_RETRIEVAL_HELP}

${EVAL_HELP}

${TRAIN_HELP}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (line: string) => process.stderr.write(line + '\n');
  const print = (line: string) => process.stdout.write(line + '\n');
  if (!command || command === 'help' || command === '--help' || command === '-h' || rest.includes('--help')) {
    const topic = command === 'help' ? rest[0] : rest.includes('--help') ? command : undefined;
    print(topic === 'build' ? BUILD_HELP : topic === 'eval-retrieval' ? EVAL_RETRIEVAL_HELP : topic === 'eval' ? EVAL_HELP : topic === 'train' ? TRAIN_HELP : HELP);
    return command ? 0 : 1;
  }
  switch (command) {
    case 'build':
      await build(rest, log);
      return 0;
    case 'eval-retrieval':
      await evalRetrieval(rest, log, print);
      return 0;
    case 'eval':
      await evaluate(rest, log, print);
      return 0;
    case 'train':
      await train(rest, log);
      return 0;
    default:
      throw new CliError(`Unknown command "${command}". Commands: build, eval-retrieval, eval, train, help.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    // A stack only for what is a bug here; a user's mistake or a file the system refused is one line.
    const line = error instanceof CliError || error.name === 'ModelLoadError' ? error.message : isSystemError(error) ? describeSystemError(error) : (error.stack ?? error.message);
    process.stderr.write(`error: ${line}\n`);
    process.exit(1);
  },
);
