import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startLab, type Lab } from './lab.js';
import { COMMANDS, connectionInstructions, tokenListing } from './instructions.js';

// `npm run lab [-- --port N]`: the lab server for a person rehearsing with CredOps. Prints how
// to connect and a few tokens, then reads commands from stdin until quit or Ctrl-C.

const DEFAULT_PORT = 4455;

function parsePort(argv: string[]): number {
  const index = argv.indexOf('--port');
  if (index === -1) return DEFAULT_PORT;
  const raw = argv[index + 1];
  const port = Number(raw);
  if (raw === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port wants a number from 0 to 65535 (0 = any free port), got ${raw ?? 'nothing'}`);
    process.exit(2);
  }
  return port;
}

/** The jwt client's private key goes to a file only this user can read, removed on exit. */
function writePrivateJwk(lab: Lab): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'credops-lab-'));
  const path = join(dir, `${lab.clients.jwt.clientId}.private.jwk.json`);
  writeFileSync(path, `${JSON.stringify(lab.clients.jwt.privateJwk, null, 2)}\n`, { mode: 0o600 });
  return { path, dir };
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  let lab: Lab;
  try {
    lab = await startLab({ port });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(busy ? `Port ${port} is in use; try --port 0 for any free port.` : `The lab did not start: ${String(error)}`);
    process.exit(1);
  }
  const jwk = writePrivateJwk(lab);

  let stopping: Promise<void> | undefined;
  const stop = (code = 0) => {
    stopping ??= lab
      .close()
      .catch((error: unknown) => console.error(`lab: closing failed: ${String(error)}`))
      .finally(() => {
        rmSync(jwk.dir, { recursive: true, force: true });
        process.exit(code);
      });
    return stopping;
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  console.log(connectionInstructions(lab, jwk.path));
  console.log('');
  console.log(tokenListing(await lab.issueUserTokens(), lab.clients.app.clientId));
  console.log('');
  console.log(COMMANDS);

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'lab> ' });
  // With a terminal, readline takes Ctrl-C itself; treat it like the signal.
  rl.on('SIGINT', () => void stop());
  // Ctrl-D at a terminal quits; with stdin not a terminal (piped, /dev/null) the server keeps
  // serving until a signal, so it can run in the background.
  rl.on('close', () => {
    if (process.stdin.isTTY) void stop();
  });
  rl.prompt();
  for await (const line of rl) {
    const [command, ...args] = line.trim().split(/\s+/);
    try {
      switch (command) {
        case '':
          break;
        case 'tokens':
          console.log(tokenListing(await lab.issueUserTokens(), lab.clients.app.clientId));
          break;
        case 'rotate':
          console.log(`New signing key ${(await lab.rotateSigningKey()).kid}; earlier keys stay in the JWKS.`);
          break;
        case 'retire':
          if (!args[0]) console.log('retire wants a kid: retire <kid>');
          else {
            await lab.retireSigningKey(args[0]);
            console.log(`Key ${args[0]} removed from the JWKS.`);
          }
          break;
        case 'help':
          console.log(COMMANDS);
          break;
        case 'quit':
        case 'exit':
          await stop();
          return;
        default:
          console.log(`Unknown command "${command}". ${COMMANDS}`);
      }
    } catch (error) {
      console.log(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    rl.prompt();
  }
}

await main();
