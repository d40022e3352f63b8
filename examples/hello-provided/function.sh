# Sourced by ./bootstrap; the handler `function.handler` names this file and this shell function.
function handler () {
  EVENT_DATA=$1
  echo "received: $EVENT_DATA" 1>&2
  RESPONSE="{\"message\":\"Hello from bash\",\"event\":$EVENT_DATA}"

  echo "$RESPONSE"
}
