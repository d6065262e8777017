/**
 * The shell script the OpenWhisk init Job runs (curl only): create the three databases, write OpenWhisk's design
 * documents (from files, the mounted ConfigMap), then one subject document per OpenWhisk namespace. Idempotent: an
 * existing database (412) is fine, and every document is read first so it can be overwritten with its current
 * `_rev` (the shipped design document and the key in the Secret always win). Credentials and auth keys come from the
 * environment (Secrets), never from the script.
 */
import { createDatabaseFunction, curlCallFunction } from '#shared/jobs/couchdb-shell.ts';

export interface OpenWhiskInitInput {
  /** `http(s)://host:port` of the CouchDB. */
  couchdbUrl: string;
  prefix: string;
  /** OpenWhisk namespaces, in order; namespace i's `uuid:key` is in `$AUTH_<i>`. */
  namespaces: string[];
  /** Design documents to write: database name, `_design/…` id, file in `designDocsDir`. */
  designDocs?: ReadonlyArray<{ database: string; id: string; file: string }> | undefined;
  /** Where the design document files are (the ConfigMap's mount path). */
  designDocsDir?: string | undefined;
}

/** The database names OpenWhisk is configured with: subjects (auth), whisks (entities), activations. */
export function databaseNames(prefix: string): { subjects: string; whisks: string; activations: string } {
  return { subjects: `${prefix}subjects`, whisks: `${prefix}whisks`, activations: `${prefix}activations` };
}

const prelude = `set -eu
CRED="$COUCHDB_USER:$COUCHDB_PASSWORD"
${curlCallFunction('CRED')}
wait_up() {
  i=0
  until [ "$(call GET "$URL/_up" || true)" = "200" ]; do
    i=$((i+1)); [ "$i" -lt 90 ] || { echo "CouchDB at $URL is not up after 180s"; exit 1; }
    sleep 2
  done
}
${createDatabaseFunction}
# rev_of: the _rev of the document in /tmp/body (CouchDB writes _id and _rev first)
rev_of() {
  grep -o '"_rev":"[^"]*"' /tmp/body | head -n 1 | cut -d '"' -f 4
}
# put_design_doc DB ID FILE: create or update a design document from a file, with the current _rev if it exists
put_design_doc() {
  code=$(call GET "$URL/$1/$2")
  if [ "$code" = "200" ]; then
    sed '1s/^{/{"_rev":"'"$(rev_of)"'",/' "$DOCS/$3" > /tmp/doc.json
  else
    cp "$DOCS/$3" /tmp/doc.json
  fi
  code=$(curl -sS -o /tmp/body -w '%{http_code}' -u "$CRED" -X PUT -H 'Content-Type: application/json' --data-binary @/tmp/doc.json "$URL/$1/$2")
  case "$code" in
    201|202) echo "design document $1/$2: $code" ;;
    *) echo "writing design document $1/$2 failed with HTTP $code: $(cat /tmp/body)"; exit 1 ;;
  esac
}
# put_subject DB NAMESPACE UUID:KEY: create or update the subject document of one namespace
put_subject() {
  uuid=\${3%%:*}; key=\${3#*:}
  doc='"_id":"'"$2"'","subject":"'"$2"'","namespaces":[{"name":"'"$2"'","uuid":"'"$uuid"'","key":"'"$key"'"}]'
  code=$(call GET "$URL/$1/$2")
  if [ "$code" = "200" ]; then
    doc='"_rev":"'"$(rev_of)"'",'"$doc"
  fi
  code=$(call PUT "$URL/$1/$2" "{$doc}")
  case "$code" in
    201|202) echo "subject $2: $code" ;;
    *) echo "writing subject $2 failed with HTTP $code: $(cat /tmp/body)"; exit 1 ;;
  esac
}`;

/** The script for one set of inputs. */
export function openwhiskInitScript(input: OpenWhiskInitInput): string {
  const dbs = databaseNames(input.prefix);
  const lines = [prelude, `URL=${shellQuote(input.couchdbUrl)}`, 'wait_up'];
  for (const db of [dbs.subjects, dbs.whisks, dbs.activations]) lines.push(`create_db ${shellQuote(db)}`);
  if (input.designDocs && input.designDocs.length > 0) {
    lines.push(`DOCS=${shellQuote(input.designDocsDir ?? '/design-docs')}`);
    for (const doc of input.designDocs) {
      lines.push(`put_design_doc ${shellQuote(doc.database)} ${shellQuote(doc.id)} ${shellQuote(doc.file)}`);
    }
  }
  input.namespaces.forEach((ns, i) => lines.push(`put_subject ${shellQuote(dbs.subjects)} ${shellQuote(ns)} "$AUTH_${i}"`));
  lines.push('echo "OpenWhisk init done"');
  return `${lines.join('\n')}\n`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
