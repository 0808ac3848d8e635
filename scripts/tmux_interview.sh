#!/usr/bin/env bash
# Drive the real app in tmux through a short interview and check the screen.
#
#   scripts/tmux_interview.sh            (uses `uv run massabalans`)
#   MASSABALANS_CMD="python -m interview.cli" scripts/tmux_interview.sh
#
# It answers the small test questionnaire in an 80x24 window, reading the
# screen with capture-pane after each step, and exits non-zero with the last
# screen on stderr when something it waits for does not appear.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
cmd=${MASSABALANS_CMD:-uv run massabalans}
home=$(mktemp -d)
session="massabalans-$$"
screen_file="$home/screen.txt"
export MASSABALANS_HOME="$home"

cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session" >"$screen_file" 2>/dev/null || true; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (an extended regex).
wait_for() {
  local text=$1 limit=${2:-20} waited=0
  while ((waited < limit * 10)); do
    screen
    if grep -Eq -- "$text" "$screen_file"; then
      echo "ok: $text"
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "not on the screen after ${limit} s: $text" >&2
  cat "$screen_file" >&2
  exit 1
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT.
wait_gone() {
  local text=$1 limit=${2:-20} waited=0
  while ((waited < limit * 10)); do
    screen
    if ! grep -Eq -- "$text" "$screen_file"; then
      echo "gone: $text"
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  echo "still on the screen after ${limit} s: $text" >&2
  cat "$screen_file" >&2
  exit 1
}

# A pause before each key, as a person would: the answer box for the question
# just shown may still be mounting when its text is on the screen.
keys() { sleep 0.4; tmux send-keys -t "$session" "$@"; }
typed() { sleep 0.4; tmux send-keys -t "$session" -l "$1"; }

tmux new-session -d -s "$session" -x 80 -y 24 \
  "MASSABALANS_HOME='$home' $cmd --questions tests/data/questions_small; sleep 30"

wait_for "Bedrijfsnaam\?" 60
wait_for "f4 Antwoorden"
typed "Acme BV"; keys Enter
wait_for "Periode\?"
typed "2024"; keys Enter
wait_for "Samenvatting . Start"
wait_for "Grondstoffen\?"
typed "12,5 t eikenhout"; keys Enter
wait_for "eikenhout +12,5 t +12.500"
keys Enter                       # an empty line ends the list
wait_for "Samengestelde materialen\?"
keys Down Enter                  # Nee
wait_for "Leidingwater\?"
wait_for "Samenvatting . Inkoop"
wait_for "In: 12.500 kg"
wait_for "In +12.500 kg"         # the balance panel
typed "850"; keys Enter
wait_for "850 m3 = 850.000 kg"
wait_for "Eigen put\?"
echo "--- the screen at 80x24 ---"
cat "$screen_file"
echo "---"
keys F4
wait_for "Alle antwoorden"
keys Escape
wait_for "Eigen put\?"
keys C-q
wait_gone "f4 Antwoorden"

MASSABALANS_HOME="$home" $cmd list --db "$home/massabalans.db" | tee "$home/list.txt"
grep -q "Acme BV" "$home/list.txt" || { echo "the interview was not stored" >&2; exit 1; }
echo "tmux interview passed"
