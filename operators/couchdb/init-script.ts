/**
 * The shell script the CouchDB init Job runs (curl only). Every step is idempotent, so a rerun (a new Job after a spec
 * change, or a retried pod) converges instead of failing: setup is skipped when already done, and creating a database
 * that exists (412) counts as success. The credentials come from the environment, never from the script, and are
 * JSON-escaped before they go into a request body (a password may contain `"` or `\`).
 */
import { createDatabaseFunction, curlCallFunction } from '#shared/jobs/couchdb-shell.ts';
import { couchdbPort } from './types.ts';

export interface InitScriptInput {
  replicas: number;
  /** The client Service host (any node). */
  clientHost: string;
  /** One host per replica, index order (only used for clusters). */
  nodeHosts: string[];
  /** Databases to create after the system databases, as given in the spec. */
  databases: string[];
}

const prelude = `set -eu
AUTH="$COUCHDB_USER:$COUCHDB_PASSWORD"
# json_escape VALUE: VALUE made safe inside a JSON string (backslash and double quote escaped)
json_escape() {
  printf '%s' "$1" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g'
}
JUSER=$(json_escape "$COUCHDB_USER")
JPASS=$(json_escape "$COUCHDB_PASSWORD")
${curlCallFunction('AUTH')}
wait_up() {
  i=0
  until curl -sf -o /dev/null "http://$1:${couchdbPort}/_up"; do
    i=$((i+1)); [ "$i" -lt 90 ] || { echo "CouchDB at $1 is not up after 180s"; exit 1; }
    sleep 2
  done
}
# setup_state BASE_URL: prints the _cluster_setup state (single_node_enabled, cluster_finished, ...)
setup_state() {
  call GET "$1/_cluster_setup" >/dev/null || true
  sed -n 's/.*"state":"\\([a-z_]*\\)".*/\\1/p' /tmp/body
}
${createDatabaseFunction}`;

/** The script for one set of inputs. Database names are URL-encoded here, so the shell never sees `$` or `/`. */
export function couchdbInitScript(input: InitScriptInput): string {
  const lines = [prelude, `URL="http://${input.clientHost}:${couchdbPort}"`];
  lines.push(...(input.replicas === 1 ? singleNodeSetup(input) : clusterSetup(input)));
  for (const db of ['_users', '_replicator', ...input.databases.filter((d) => d !== '_users' && d !== '_replicator')]) {
    lines.push(`create_db '${encodeURIComponent(db)}'`);
  }
  lines.push('echo "CouchDB init done"');
  return `${lines.join('\n')}\n`;
}

function singleNodeSetup(input: InitScriptInput): string[] {
  return [
    `wait_up ${input.clientHost}`,
    'if [ "$(setup_state "$URL")" != "single_node_enabled" ]; then',
    `  code=$(call POST "$URL/_cluster_setup" '{"action":"enable_single_node","bind_address":"0.0.0.0","port":${couchdbPort},"singlenode":true,"username":"'"$JUSER"'","password":"'"$JPASS"'"}')`,
    '  echo "enable_single_node: $code $(cat /tmp/body)"',
    'fi',
    'state=$(setup_state "$URL")',
    '[ "$state" = "single_node_enabled" ] || { echo "single node setup did not finish (state: $state)"; exit 1; }',
  ];
}

function clusterSetup(input: InitScriptInput): string[] {
  const [first, ...others] = input.nodeHosts;
  const n = input.nodeHosts.length;
  const creds = `"username":"'"$JUSER"'","password":"'"$JPASS"'"`;
  const lines = input.nodeHosts.map((host) => `wait_up ${host}`);
  lines.push(
    `COORD="http://${first ?? input.clientHost}:${couchdbPort}"`,
    'if [ "$(setup_state "$COORD")" != "cluster_finished" ]; then',
    `  echo "enable_cluster: $(call POST "$COORD/_cluster_setup" '{"action":"enable_cluster","bind_address":"0.0.0.0",${creds},"node_count":${n}}')"`,
  );
  for (const host of others) {
    lines.push(
      `  echo "enable_cluster ${host}: $(call POST "$COORD/_cluster_setup" '{"action":"enable_cluster","bind_address":"0.0.0.0",${creds},"port":${couchdbPort},"node_count":${n},"remote_node":"${host}","remote_current_user":"'"$JUSER"'","remote_current_password":"'"$JPASS"'"}')"`,
      `  echo "add_node ${host}: $(call POST "$COORD/_cluster_setup" '{"action":"add_node","host":"${host}","port":${couchdbPort},${creds}}')"`,
    );
  }
  lines.push(`  echo "finish_cluster: $(call POST "$COORD/_cluster_setup" '{"action":"finish_cluster"}')"`, 'fi');
  // Scaling up an existing cluster: membership is a document per node, 201 (added) or 409 (already a member).
  for (const host of input.nodeHosts) {
    lines.push(
      `code=$(call PUT "$COORD/_node/_local/_nodes/couchdb@${host}" '{}')`,
      `case "$code" in 201|202|409) ;; *) echo "adding node ${host} failed with HTTP $code: $(cat /tmp/body)"; exit 1 ;; esac`,
    );
  }
  lines.push(
    'state=$(setup_state "$COORD")',
    '[ "$state" = "cluster_finished" ] || { echo "cluster setup did not finish (state: $state)"; exit 1; }',
  );
  return lines;
}
