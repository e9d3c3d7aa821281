#!/usr/bin/env bash
# Seeds the demo clinic through the gateway, exactly as a partner would: a token, three patients'
# contact emails, and a group session starting in a few minutes. Prints what to try next.
set -euo pipefail

GATEWAY_URL=${GATEWAY_URL:-http://localhost:5080}
START_IN_MINUTES=${START_IN_MINUTES:-3}
DURATION_MINUTES=${DURATION_MINUTES:-2}
PATIENTS=(7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e01 7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e02 7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e03)

json_field() { sed -nE "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/p"; }

token=$(curl -fsS -X POST "$GATEWAY_URL/connect/token" \
  -d grant_type=client_credentials -d client_id=demo-clinic -d client_secret=demo-clinic-secret | json_field access_token)
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")

for i in "${!PATIENTS[@]}"; do
  curl -fsS -X PUT "$GATEWAY_URL/api/notification/patients/${PATIENTS[$i]}/contact" "${auth[@]}" \
    -d "{\"email\":\"demo-patient-$((i + 1))@example.test\"}" >/dev/null
done

starts_at=$(date -u -d "+$START_IN_MINUTES minutes" +%Y-%m-%dT%H:%M:%SZ)
patient_ids=$(printf '"%s",' "${PATIENTS[@]}")
session=$(curl -fsS -X POST "$GATEWAY_URL/api/scheduling/sessions" "${auth[@]}" \
  -d "{\"kind\":\"groupTherapy\",\"startsAt\":\"$starts_at\",\"durationMinutes\":$DURATION_MINUTES,\"timeZone\":\"America/New_York\",\"patientIds\":[${patient_ids%,}]}")
session_id=$(echo "$session" | json_field id)

cat <<EOT
Demo clinic seeded: patients ${PATIENTS[*]}
  group session $session_id starts at $starts_at for $DURATION_MINUTES min.
Check patient 1 in before it ends; the other two become no-shows and get a "we missed you" email:
  curl -X POST $GATEWAY_URL/api/attendance/sessions/$session_id/check-ins -H "Authorization: Bearer \$TOKEN" -H "Content-Type: application/json" -d '{"patientId":"${PATIENTS[0]}"}'
EOT
