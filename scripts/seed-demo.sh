#!/usr/bin/env bash
# Seeds the demo clinic through the gateway, exactly as a partner would: a program, a cohort facilitated by the demo
# clinician, four patients (one reads Spanish), three short group sessions within the next minutes whose outcomes are
# scripted in the background (present, late, an advance notice, a no-show), and a weekly series from next week.
# Before them, the cohort's last two weeks come in as a clinic moving onto VirtualIop brings them: its Monday, Wednesday
# and Thursday evening groups with mixed outcomes, imported through POST /api/attendance/history (shown in the heatmap
# and the policy standing, never messaged or billed). Prints the console and one patient's personal link. Needs curl
# and jq (scripts/run.sh installs them).
set -euo pipefail

GATEWAY_URL=${GATEWAY_URL:-http://localhost:5080}
FIRST_IN_MINUTES=${FIRST_IN_MINUTES:-2}
DURATION_MINUTES=${DURATION_MINUTES:-2}
TZ_NAME=America/New_York
# The demo clinician's user id (appsettings.Development.json of the gateway, Auth:StaffUsers): the console shows them
# their sessions once they sign in.
CLINICIAN=5b0e2c7a-1d34-4f6e-8a91-0c2d3e4f5a61
PATIENTS=(7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e01 7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e02
          7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e03 7d0c5f5e-3b1a-4c55-9a0e-1f2b3c4d5e04)

token=$(curl -fsS -X POST "$GATEWAY_URL/connect/token" \
  -d grant_type=client_credentials -d client_id=demo-clinic -d client_secret=demo-clinic-secret | jq -r .access_token)
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
api() { curl -fsS "${auth[@]}" "$@"; }
# A service learns of a program or session from Scheduling's events a moment after it is created: retry briefly.
retry() { local out; for _ in $(seq 30); do out=$(api "$@" 2>/dev/null) && { echo "$out"; return; }; sleep 1; done; api "$@"; }

for i in "${!PATIENTS[@]}"; do
  language=en; [[ $i == 3 ]] && language=es
  api -X PUT "$GATEWAY_URL/api/notification/patients/${PATIENTS[$i]}/contact" \
    -d "{\"email\":\"demo-patient-$((i + 1))@example.test\",\"language\":\"$language\",\"timeZone\":\"$TZ_NAME\"}" >/dev/null
done

program=$(api -X POST "$GATEWAY_URL/api/scheduling/programs" \
  -d '{"name":"Adult SUD IOP (demo)","topics":[{"title":"Triggers","kind":"groupTherapy"},{"title":"Cravings","kind":"educationalModule"}]}' | jq -r .id)
hours=$(jq -nc '[("sunday","monday","tuesday","wednesday","thursday","friday","saturday") | {day: ., from: "00:00", to: "23:59"}]')
api -X PUT "$GATEWAY_URL/api/scheduling/clinicians/$CLINICIAN/availability" \
  -d "{\"timeZone\":\"$TZ_NAME\",\"weeklyHours\":$hours,\"timeOff\":[]}" >/dev/null
cohort=$(api -X POST "$GATEWAY_URL/api/scheduling/cohorts" -d "{\"programId\":\"$program\",\"name\":\"Evening A (demo)\",
  \"facilitatorClinicianId\":\"$CLINICIAN\",\"capacity\":10,\"timeZone\":\"$TZ_NAME\"}" | jq -r .id)
for patient in "${PATIENTS[@]}"; do
  api -X POST "$GATEWAY_URL/api/scheduling/cohorts/$cohort/enrolments" -d "{\"patientId\":\"$patient\"}" >/dev/null
done

# Three one-occurrence series a few minutes apart (a series has at most one occurrence a day), then the weekly one.
for n in 0 1 2; do
  local_start=$(TZ=$TZ_NAME date -d "+$((FIRST_IN_MINUTES + n * (DURATION_MINUTES + 2))) minutes" +%Y-%m-%dT%H:%M)
  api -X POST "$GATEWAY_URL/api/scheduling/cohorts/$cohort/series" \
    -d "{\"rrule\":\"FREQ=DAILY;COUNT=1\",\"startsAtLocal\":\"$local_start\",\"durationMinutes\":$DURATION_MINUTES}" >/dev/null
done
api -X POST "$GATEWAY_URL/api/scheduling/cohorts/$cohort/series" \
  -d "{\"rrule\":\"FREQ=WEEKLY;BYDAY=MO,WE,TH;COUNT=6\",\"startsAtLocal\":\"$(TZ=$TZ_NAME date -d '+7 days' +%F)T18:00\",\"durationMinutes\":180}" >/dev/null
mapfile -t sessions < <(api "$GATEWAY_URL/api/scheduling/cohorts/$cohort/sessions?limit=100" | jq -r 'sort_by(.startsAt) | .[].id')
mapfile -t starts < <(api "$GATEWAY_URL/api/scheduling/cohorts/$cohort/sessions?limit=100" | jq -r 'sort_by(.startsAt) | .[].startsAt')

# The scripted outcomes, per demo session and patient: in = checks in at the start, late = checks in a minute late,
# notice:<reason> = says ahead of time they will miss it, anything else = a no-show.
plan=("in notice:technicalDifficulty late -" "in - in notice:illness" "late in - in")
check_in() { retry -X POST "$GATEWAY_URL/api/attendance/sessions/$1/check-ins" -d "{\"patientId\":\"$2\"}" >/dev/null; }
(
  for n in 0 1 2; do
    read -r -a outcomes <<<"${plan[$n]}"
    for i in "${!PATIENTS[@]}"; do
      [[ ${outcomes[$i]} == notice:* ]] && retry -X POST "$GATEWAY_URL/api/attendance/absence-notices" \
        -d "{\"sessionId\":\"${sessions[$n]}\",\"patientId\":\"${PATIENTS[$i]}\",\"reasonCategory\":\"${outcomes[$i]#notice:}\",\"notifiedBy\":\"patient\"}" >/dev/null
    done
    sleep $(( $(date -d "${starts[$n]}" +%s) - $(date +%s) + 5 )) 2>/dev/null || true
    for i in "${!PATIENTS[@]}"; do [[ ${outcomes[$i]} == in ]] && check_in "${sessions[$n]}" "${PATIENTS[$i]}"; done
    sleep 60
    for i in "${!PATIENTS[@]}"; do [[ ${outcomes[$i]} == late ]] && check_in "${sessions[$n]}" "${PATIENTS[$i]}"; done
  done
) >/dev/null 2>&1 &

# Two weeks of history from the clinic's previous system: the groups of the last 14 days (Mondays, Wednesdays and
# Thursdays, 18:00 New York time, three hours), one outcome per patient and session. outcome:N gives a partial
# attendance's minutes, excusedAbsence:reason the reason.
HISTORY=("present present late present excusedAbsence:illness present"
         "present noShow present partial:95 present present"
         "late present present present present present"
         "excusedAbsence:technicalDifficulty present noShow noShow present late")
past=()
for days_ago in $(seq 14 -1 1); do
  day=$(TZ=$TZ_NAME date -d "$days_ago days ago" +%F)
  case $(date -d "$day" +%u) in 1|3|4) past+=("$(date -u -d "TZ=\"$TZ_NAME\" $day 18:00" +%FT%TZ)");; esac
done
rows=$(for k in "${!past[@]}"; do
  session_id=$(cat /proc/sys/kernel/random/uuid)
  for i in "${!PATIENTS[@]}"; do
    read -r -a outcomes <<<"${HISTORY[$i]}"
    echo "$session_id ${past[$k]} ${PATIENTS[$i]} ${outcomes[$k]}"
  done
done)
history=$(jq -Rnc --arg program "$program" --arg cohort "$cohort" --arg tz "$TZ_NAME" '
  [inputs | split(" ") | {sessionId: .[0], startsAt: .[1], patientId: .[2], outcome: (.[3] | split(":")[0]), detail: (.[3] | split(":")[1])}]
  | group_by(.startsAt)
  | {programId: $program, cohortId: $cohort, timeZone: $tz, sessions: map({sessionId: .[0].sessionId, startsAt: .[0].startsAt,
      durationMinutes: 180, records: map({patientId, outcome}
        + if .detail == null then {} elif .outcome == "partial" then {minutesAttended: (.detail | tonumber)} else {reasonCategory: .detail} end)})}' <<<"$rows")
imported=$(retry -X POST "$GATEWAY_URL/api/attendance/history" -d "$history" | jq '.imported + .alreadyImported | length')

link=$(api -X POST "$GATEWAY_URL/api/notification/patients/${PATIENTS[0]}/links" | jq -r .url)
heatmap_to=$(date -u -d '+1 day' +%F)

cat <<EOT
Demo clinic seeded: cohort $cohort with patients ${PATIENTS[*]}
  $imported past group sessions of the last two weeks imported with mixed outcomes (the heatmap shows them at once),
  three ${DURATION_MINUTES}-minute group sessions from $(date -d "${starts[0]}" +%H:%M) (outcomes scripted in the background),
  then Mondays, Wednesdays and Thursdays at 18:00 New York time from next week.
Clinician console (sign in as clinician@demo-clinic / demo-clinician-password; coordinator@ and admin@ likewise):
  $GATEWAY_URL/console
  $GATEWAY_URL/console/cohorts/$cohort/heatmap?to=$heatmap_to
Patient 1's personal link (their pages: sessions, absence notice, makeups, catch-up, technical check, preferences):
  $link
EOT
