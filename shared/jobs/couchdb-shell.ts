/**
 * Shell functions (sh + curl) for the init Jobs that set CouchDB up: the CouchDB and OpenWhisk operators' scripts
 * both start with them. The response body always lands in `/tmp/body`, so a failure message can quote it.
 */

/** `call METHOD URL [BODY]`: prints the HTTP status; authenticates with `user:password` from `$<credentialsVar>`. */
export function curlCallFunction(credentialsVar: string): string {
  return `# call METHOD URL [BODY]: prints the HTTP status, the response body goes to /tmp/body
call() {
  if [ $# -ge 3 ]; then
    curl -sS -o /tmp/body -w '%{http_code}' -u "$${credentialsVar}" -X "$1" -H 'Content-Type: application/json' --data "$3" "$2"
  else
    curl -sS -o /tmp/body -w '%{http_code}' -u "$${credentialsVar}" -X "$1" "$2"
  fi
}`;
}

/** `create_db NAME`: creates `$URL/NAME`; one that exists already (412) is success, anything else ends the script. */
export const createDatabaseFunction = `create_db() {
  code=$(call PUT "$URL/$1")
  case "$code" in
    201|202|412) echo "database $1: $code" ;;
    *) echo "creating database $1 failed with HTTP $code: $(cat /tmp/body)"; exit 1 ;;
  esac
}`;
