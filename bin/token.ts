/**
 * `npm run token -- --sub <user> --tenant <tenant> [--scope <s>]... [--group <g>]... [--name <n>] [--username <u>]`
 * prints a signed dev JWT for the local runtime, and nothing else, on stdout. `--group` names a
 * group in the `cognito:groups` claim, as Cognito would: a group named like a role gives it.
 * Without --scope the token carries rapport/read and rapport/write; the field API's changes need
 * rapport/admin too (--scope rapport/read --scope rapport/write --scope rapport/admin).
 */
import { parseArgs } from 'node:util';
import { loadDevKey, signDevToken } from '../lib/local/dev-tokens.ts';
import { STATE_DIR } from '../lib/local/state-dir.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    tenant: { type: 'string' },
    scope: { type: 'string', multiple: true },
    group: { type: 'string', multiple: true },
    name: { type: 'string' },
    username: { type: 'string' },
    'expires-in': { type: 'string' },
  },
});
if (!values.sub || !values.tenant) {
  process.stderr.write(
    'usage: npm run token -- --sub <user> --tenant <tenant> [--scope rapport/read] [--group support] [--name "Ann Smith"] [--username ann]\n',
  );
  process.exit(2);
}
const token = await signDevToken(loadDevKey(STATE_DIR), {
  sub: values.sub,
  tenant: values.tenant,
  scopes: values.scope?.flatMap((s) => s.split(/[ ,]/)).filter(Boolean),
  name: values.name,
  preferredUsername: values.username,
  groups: values.group,
  expiresInSeconds: values['expires-in'] ? Number(values['expires-in']) : undefined,
});
process.stdout.write(`${token}\n`);
