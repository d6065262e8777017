/**
 * The live view of `npm start` on a real terminal: the entry runs inside a detached tmux session (a pseudo-terminal
 * of 120×40), and the captured screen must show one step table, updated in place, reaching 5/5 with every step Ready.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '../helpers/wait-for.ts';
import { repoRoot } from './run-cli.ts';

const run = promisify(execFile);
/** A private tmux server (socket) per test run, so nothing else's sessions are touched. */
const socket = `nimbus-cli-test-${process.pid}`;
const session = 'start';

function tmux(...args: string[]): Promise<{ stdout: string }> {
  return run('tmux', ['-L', socket, ...args], { cwd: repoRoot });
}

/** The whole pane, scrollback included (a redraw that scrolled would leave copies of the table there). */
async function screen(): Promise<string> {
  return (await tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session)).stdout;
}

describe('npm start live view in a terminal (tmux)', function () {
  this.timeout(180_000);

  after(async () => {
    await tmux('kill-server').catch(() => undefined);
  });

  it('draws the step table in place until 5/5 Ready, and Ctrl-C stops cleanly', async () => {
    // The shell keeps the pane open after the entry exits, so its exit code can be read from the screen.
    const command = `env -u KUBECONFIG -u NATS_URL ${process.execPath} --import tsx cli/start.ts --kubelet-delay-ms 50; echo "EXIT=$?"; sleep 600`;
    await tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', session, '-c', repoRoot, command);
    const final = await waitFor(async () => {
      const text = await screen();
      return /^Tenant acme\s+Ready\s+5\/5/m.test(text) && text.includes('Look around:') ? text : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, message: 'the table at 5/5' });
    for (const step of ['namespace', 'couchdb', 'nats', 'openwhisk', 'credentials']) {
      expect(final).to.match(new RegExp(`^ {2}✔ ${step}\\s+Ready\\s+\\d+\\.\\ds`, 'm'));
    }
    // Updated in place: exactly one table header on the whole screen and in the scrollback.
    const header = /^Tenant acme {3}\w/gm;
    expect(final.match(header)).to.have.length(1);
    expect(final.match(/STEP\s+STATE\s+TIME\s+MESSAGE/g)).to.have.length(1);
    // Messages go above the table, which stays at the bottom.
    expect(final.indexOf('Look around:')).to.be.lessThan(final.search(/^Tenant acme {3}\w/m));

    await tmux('send-keys', '-t', session, 'C-c');
    const stopped = await waitFor(async () => {
      const text = await screen();
      return /^EXIT=\d+$/m.test(text) ? text : undefined;
    }, { timeoutMs: 30_000, message: 'the entry to exit' });
    expect(stopped).to.match(/^EXIT=0$/m);
    expect(stopped).to.contain('nimbus: stopped; temporary state removed');
  });
});
