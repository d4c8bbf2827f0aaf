#!/bin/sh
# Synthesise the shipped sample session: an invented ~60 s therapist/client
# dialogue (no real people), two espeak-ng voices, short pauses between turns,
# joined with sox into samples/sample_session.ogg (16 kHz mono Vorbis).
# Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox libsox-fmt-all).
# Re-running it rewrites sample_session.ogg and sample_session.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# speaker|voice|text  (Therapist: en-us+m3, Client: en-us+f2)
cat > "$tmp/script" <<'DIALOGUE'
Therapist|en-us+m3|Good afternoon. How have things been since our last session two weeks ago?
Client|en-us+f2|A little better. I have been taking the sertraline fifty milligrams every morning, and the nausea has mostly gone.
Therapist|en-us+m3|That is good to hear. Your PHQ-9 today is twelve, down from seventeen last time. How is your sleep?
Client|en-us+f2|I fall asleep around midnight and wake up at six. Maybe six hours. I still wake up once or twice.
Therapist|en-us+m3|I want to check on safety. Have you had any thoughts of harming yourself or of suicide?
Client|en-us+f2|No, nothing like that. I feel safe, and I have my safety plan on the fridge.
Therapist|en-us+m3|Thank you. For homework, please keep a thought record three times this week, and take a short walk each morning.
Client|en-us+f2|Okay, I can do that.
Therapist|en-us+m3|Great. Our next appointment is next Tuesday at ten.
DIALOGUE

: > "$here/sample_session.txt"
parts=""
i=0
while IFS='|' read -r who voice text; do
  i=$((i + 1))
  espeak-ng -v "$voice" -s 158 -w "$tmp/raw$i.wav" "$text"
  # 16 kHz mono, then 0.8 s of silence after each turn
  sox "$tmp/raw$i.wav" -r 16000 -c 1 -b 16 "$tmp/turn$i.wav" pad 0 0.8
  parts="$parts $tmp/turn$i.wav"
  printf '%s: %s\n' "$who" "$text" >> "$here/sample_session.txt"
done < "$tmp/script"

# shellcheck disable=SC2086
sox $parts -r 16000 -c 1 -C 2 "$here/sample_session.ogg"
soxi -D "$here/sample_session.ogg"
