#!/usr/bin/env bash
# serve.sh BUILD_DIR: `ecms serve` over real HTTP (curl, jq): start it on a
# free loopback port with a temp store (ecms init, sim master, passwords),
# then check health, 401 before routing, login and cookie flags, CSRF,
# every route with every role against docs/openapi.json's x-ecms-roles,
# 404/405/413/400, the read-only setup verify (GO, NO-GO with its reason,
# no event, 400s, 403 for a customer), API tokens, actor attribution in the
# event log, metrics, the login rate limit, and a graceful SIGTERM with a request in
# flight. Prints "ok - ..." / "not ok - ..." per check; exits 1 on any.
set -u
B=${1:?usage: tests/integration/serve.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
ecms=$(cd "$B" && pwd)/ecms
work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
export ECMS_DB=$work/t.db
unset ECMS_NOW ECMS_NOW_STEP_MS ECMS_USER ECMS_STATION

failed=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; failed=1; }
check() { # NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# --- a store with users and passwords ------------------------------------
"$ecms" init >/dev/null && "$ecms" sim master >/dev/null || { echo "setup failed"; exit 1; }
echo 'correct horse' | "$ecms" --user ada user passwd ada >/dev/null || exit 1
echo 'viewer pass1' | "$ecms" --user ada user passwd vic >/dev/null || exit 1

# --- start ---------------------------------------------------------------
"$ecms" serve --listen 127.0.0.1:0 --threads 4 >serve.out 2>serve.err &
pid=$!
for _ in $(seq 1 100); do
	grep -q 'listening on' serve.out 2>/dev/null && break
	sleep 0.1
done
port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' serve.out)
if [ -z "$port" ]; then
	echo "not ok - ecms serve did not start"; cat serve.err; exit 1
fi
U=http://127.0.0.1:$port
ok "serve listens on port $port"

# req METHOD PATH [CURL ARGS]: status in $st, body in body.json, headers in hdr.txt
req() {
	local m=$1 p=$2
	shift 2
	st=$(curl -s -o body.json -D hdr.txt -w '%{http_code}' -X "$m" "$U$p" "$@")
}
hdr() { grep -i "^$1:" hdr.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
js() { jq -r "$1" body.json 2>/dev/null; }

# --- health ----------------------------------------------------------------
req GET /healthz
check "GET /healthz is 200 ok" [ "$st" = 200 ] && [ "$(js .status)" = ok ]

# --- 401 before routing: the same answer for existing and unknown routes ----
req GET /api/v1/parts && cp body.json anon1.json && s1=$st
req GET /api/v1/no/such/route && cp body.json anon2.json && s2=$st
req DELETE /api/v1/tokens/1 && cp body.json anon3.json && s3=$st
check "anonymous: 401 on an existing route" [ "$s1" = 401 ]
check "anonymous: 401 on an unknown route" [ "$s2" = 401 ]
check "anonymous: 401 bodies identical" cmp -s anon1.json anon2.json
check "anonymous: 401 identical for another method" \
	bash -c "[ $s3 = 401 ] && cmp -s anon1.json anon3.json"

# --- login -------------------------------------------------------------------
req POST /api/v1/login -H 'Content-Type: application/json' -c jar \
	-d '{"user": "ada", "password": "correct horse"}'
cookie=$(hdr Set-Cookie)
csrf=$(js .csrf_token)
check "login: 200" [ "$st" = 200 ]
check "login: cookie HttpOnly" grep -q '; HttpOnly' <<<"$cookie"
check "login: cookie SameSite=Strict" grep -q '; SameSite=Strict' <<<"$cookie"
check "login: cookie Path=/ and Max-Age" grep -qE '; Path=/; .*Max-Age=[0-9]+' <<<"$cookie"
check "login: a 64-hex CSRF token" grep -qE '^[0-9a-f]{64}$' <<<"$csrf"
req GET /api/v1/me -b jar
check "cookie session: GET /api/v1/me is ada" [ "$(js .user)" = ada ]

# --- CSRF ----------------------------------------------------------------------
J=(-H 'Content-Type: application/json')
req POST /api/v1/tokens -b jar "${J[@]}" -d '{"name": "nocsrf", "role": "viewer"}'
check "CSRF: POST without X-CSRF-Token is 403 csrf" \
	bash -c "[ $st = 403 ] && [ \"\$(jq -r .error.code body.json)\" = csrf ]"
req POST /api/v1/tokens -b jar "${J[@]}" -H "X-CSRF-Token: $csrf" \
	-d '{"name": "ci-admin", "role": "admin"}'
admin_tok=$(js .token)
admin_id=$(js .id)
check "tokens: created with the CSRF header (201, shown once)" \
	bash -c "[ $st = 201 ] && grep -qE '^ecms_[0-9a-f]{64}$' <<<'$admin_tok'"
A=(-H "Authorization: Bearer $admin_tok")

# --- every route with every role (the roles of docs/openapi.json) ------------
declare -A tok
for role in admin qa warehouse operator viewer; do
	req POST /api/v1/tokens "${A[@]}" "${J[@]}" -d "{\"name\": \"walk-$role\", \"role\": \"$role\"}"
	tok[$role]=$(js .token)
done
walk_bad=0 walk_n=0
while IFS=$'\t' read -r method path roles; do
	# Concrete path: {id} of tokens is a number, other parameters a name.
	p=$(sed -e 's|/tokens/{id}|/tokens/999999|' -e 's|{[a-z]*}|none-such|g' <<<"$path")
	for who in anonymous admin qa warehouse operator viewer; do
		if [ "$who" = anonymous ]; then
			req "$method" "$p"
		else
			req "$method" "$p" -H "Authorization: Bearer ${tok[$who]}"
		fi
		walk_n=$((walk_n + 1))
		if [ "$roles" = public ]; then
			want=allowed
		elif [ "$who" = anonymous ]; then
			want=401
		elif grep -qw "$who" <<<"$roles"; then
			want=allowed
		else
			want=403
		fi
		case $want in
		allowed) [[ $st =~ ^(401|403|5..)$ ]] && { echo "  $method $p as $who: $st"; walk_bad=1; } ;;
		*) [ "$st" = "$want" ] || { echo "  $method $p as $who: $st, want $want"; walk_bad=1; } ;;
		esac
	done
done < <(jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[]
	| [(.key | ascii_upcase), $p, ((.value["x-ecms-roles"] // ["public"]) | join(","))] | @tsv' \
	"$top/docs/openapi.json")
check "every route x every role matches x-ecms-roles ($walk_n requests)" [ $walk_bad = 0 ]
req GET /api/v1/users -H "Authorization: Bearer ${tok[viewer]}"
check "viewer: GET /api/v1/users is 403 denied" \
	bash -c "[ $st = 403 ] && [ \"\$(jq -r .error.code body.json)\" = denied ]"

# --- errors ---------------------------------------------------------------------
req GET /api/v1/nothing "${A[@]}"
check "unknown route: 404 not_found" bash -c "[ $st = 404 ] && [ \"\$(jq -r .error.code body.json)\" = not_found ]"
req PUT /api/v1/parts "${A[@]}"
check "wrong method: 405 with Allow: GET, HEAD" bash -c "[ $st = 405 ] && grep -qi '^Allow: GET, HEAD' hdr.txt"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >big.json
req POST /api/v1/tokens "${A[@]}" "${J[@]}" --data-binary @big.json
check "body over 1 MiB: 413" [ "$st" = 413 ]
req POST /api/v1/tokens "${A[@]}" "${J[@]}" --data-binary $'{\n  "name": "x",\n  "role": }'
check "malformed JSON: 400 bad_json at line 3, column 11" \
	bash -c "[ $st = 400 ] && [ \"\$(jq -r '.error.line,.error.column' body.json | tr '\n' ' ')\" = '3 11 ' ]"
ipn=$("$ecms" part list --json | jq -r '.[0].ipn')
req GET "/api/v1/parts/$ipn" "${A[@]}"
check "GET /api/v1/parts/$ipn: 200, that part" bash -c "[ $st = 200 ] && [ \"\$(jq -r .ipn body.json)\" = '$ipn' ]"
req GET "/api/v1/manufacturers/Texas%20Instruments" "${A[@]}"
check "GET /api/v1/manufacturers/Texas%20Instruments: 200" [ "$st" = 200 ]
req GET "/api/v1/parts?category=resistor" "${A[@]}"
check "GET /api/v1/parts?category=resistor: only resistors" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r '[.[].category] | unique | join(\",\")' body.json)\" = resistor ]"
req GET "/api/v1/parts?category=%zz" "${A[@]}"
check "a query argument that does not decode: 400, not ignored" \
	bash -c "[ $st = 400 ] && [ \"\$(jq -r .error.field body.json)\" = category ]"
req GET "/api/v1/parts/NO-SUCH-PART" "${A[@]}"
check "GET /api/v1/parts/NO-SUCH-PART: 404 naming it" \
	bash -c "[ $st = 404 ] && grep -q \"no part 'NO-SUCH-PART'\" body.json"

# --- label parse ------------------------------------------------------------------
req POST /api/v1/labels/parse -H "Authorization: Bearer ${tok[operator]}" "${J[@]}" \
	-d '{"scan": "[)>\u001e06\u001d1PLM358BIDDFR\u001dQ10\u001d1T4711\u001e\u0004"}'
check "POST /api/v1/labels/parse: mpn, quantity, lot" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r '[.mpn,.quantity,.lot] | join(\" \")' body.json)\" = 'LM358BIDDFR 10 4711' ]"

# --- setup verify: the interlock's question, read-only --------------------------------
# A line to ask about: goods received (sim receive), the HM-100 BOM and a work
# order (sim product), a one-slot program on L1-M1 for a part in stock, the
# changeover. Then GO for a reel of that part, NO-GO for another part, and
# neither appends an event or a refusal.
"$ecms" --user wes sim receive --seed 1 --deliveries 10 --dir sim-rcv >/dev/null &&
	"$ecms" sim product --boards 1 --wo WO-V --dir sim-prod >/dev/null || bad "setup verify: sim receive, sim product"
"$ecms" log --type package.received --json |
	jq -r '.[] | select(.payload.status == "available") | "\(.payload.ipn) \(.payload.uid)"' >rcv.txt
"$ecms" bom show HM-100 --rev B --json | jq -r '.lines[] | "\(.ipn) \(.refdes | join(" "))"' >bom.txt
read -r v_ipn v_go < <(while read -r i u; do grep -q "^$i " bom.txt && echo "$i $u" && break; done <rcv.txt)
read -r _ v_wrong < <(grep -v "^$v_ipn " rcv.txt | head -1)
v_refdes=$(grep "^$v_ipn " bom.txt | cut -d' ' -f2-)
printf 'product,rev,side,machine,program,slot,ipn,refdes\nHM-100,B,top,L1-M1,HMV-TOP,1,%s,"%s"\n' \
	"$v_ipn" "$v_refdes" >prog.csv
"$ecms" import program prog.csv >/dev/null &&
	"$ecms" --user ada setup program --machine L1-M1 --program HMV-TOP --wo WO-V >/dev/null ||
	bad "setup verify: program $v_ipn on L1-M1 slot 1, changeover"
OP=(-H "Authorization: Bearer ${tok[operator]}")
vpath=/api/v1/machines/L1-M1/setup/verify
v_head=$("$ecms" log --limit 1 --json | jq '.[0].seq')
req POST $vpath "${OP[@]}" "${J[@]}" -d "{\"slot\": \"1\", \"reel\": \"$v_go\"}"
check "setup verify: $v_go ($v_ipn) on slot 1 is 200 GO ok, not recorded" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r '[.decision,.code,.uid,.expected_ipn,.recorded] | join(\" \")' body.json)\" = 'GO ok $v_go $v_ipn false' ]"
req POST $vpath -H "Authorization: Bearer ${tok[viewer]}" "${J[@]}" \
	-d "{\"slot\": \"1\", \"reel\": \"$(tr A-Z a-z <<<"$v_go")\"}"
check "setup verify: a viewer may ask (the scan in lower case): GO" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r .decision body.json)\" = GO ]"
req POST $vpath "${OP[@]}" "${J[@]}" -d "{\"slot\": \"1\", \"reel\": \"$v_wrong\"}"
check "setup verify: $v_wrong on slot 1 is 200 NO-GO wrong_part, the reason in words" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r '[.decision,.code] | join(\" \")' body.json)\" = 'NO-GO wrong_part' ] &&
		jq -r .message body.json | grep -q 'wrong part: $v_wrong is .*slot 1 of program HMV-TOP wants $v_ipn'"
req POST $vpath "${OP[@]}" "${J[@]}" -d "{\"slot\": \"9\", \"reel\": \"$v_go\"}"
check "setup verify: a slot the program does not use is NO-GO slot_not_in_program" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -r '[.decision,.code] | join(\" \")' body.json)\" = 'NO-GO slot_not_in_program' ]"
check "setup verify: no event appended" [ "$("$ecms" log --limit 1 --json | jq '.[0].seq')" = "$v_head" ]
req GET /api/v1/setup/refusals "${OP[@]}"
check "setup verify: no refusal recorded" bash -c "[ $st = 200 ] && [ \$(jq length body.json) = 0 ]"
req GET /api/v1/machines/L1-M1/setup "${OP[@]}"
check "setup verify: nothing loaded" \
	bash -c "[ $st = 200 ] && [ \"\$(jq -c '[.slots | length, map(select(.uid != null)) | length]' body.json)\" = '[1,0]' ]"
req POST /api/v1/machines/L1-M1/setup/load "${OP[@]}" "${J[@]}" -d "{\"slot\": \"1\", \"reel\": \"$v_wrong\"}"
check "setup load of the same reel: 409 refused with the same reason" \
	bash -c "[ $st = 409 ] && [ \"\$(jq -r .error.verdict.code body.json)\" = wrong_part ]"
req POST $vpath "${OP[@]}" "${J[@]}" -d "{\"slot\": \"1\", \"uid\": \"$v_go\"}"
check "setup verify: body member uid (not reel): 400 naming it" \
	bash -c "[ $st = 400 ] && [ \"\$(jq -r '[.error.code,.error.field] | join(\" \")' body.json)\" = 'bad_request uid' ]"
req POST $vpath "${OP[@]}" "${J[@]}" -d '{"slot": "1"}'
check "setup verify: no reel: 400 field reel" \
	bash -c "[ $st = 400 ] && [ \"\$(jq -r .error.field body.json)\" = reel ] && grep -q \"lacks 'reel'\" body.json"
req POST $vpath "${OP[@]}" "${J[@]}" -d '{"slot": 1, "reel": "XU00000012"}'
check "setup verify: a slot that is not a string: 400 field slot" \
	bash -c "[ $st = 400 ] && [ \"\$(jq -r .error.field body.json)\" = slot ]"
req POST $vpath "${OP[@]}" "${J[@]}" -d '["1", "XU00000012"]'
check "setup verify: a body that is not an object: 400" \
	bash -c "[ $st = 400 ] && grep -q 'must be a JSON object' body.json"
printf 'id,name,role,customer\ncora,Cora at Medico,customer,MEDICO\n' >cust.csv
"$ecms" import users cust.csv >/dev/null && echo 'cora portal 1' | "$ecms" --user ada user passwd cora >/dev/null
req POST /api/v1/login "${J[@]}" -c jar-cora -d '{"user": "cora", "password": "cora portal 1"}'
cora_csrf=$(js .csrf_token)
req POST $vpath -b jar-cora -H "X-CSRF-Token: $cora_csrf" "${J[@]}" -d "{\"slot\": \"1\", \"reel\": \"$v_go\"}"
check "setup verify: a customer may not ask: 403 denied" \
	bash -c "[ $st = 403 ] && [ \"\$(jq -r .error.code body.json)\" = denied ]"
v_types=$("$ecms" log --json | jq -r '[.[].type | select(startswith("setup."))] | sort | join(",")')
check "setup events: the changeover and the load's refusal, none for a verify ($v_types)" \
	[ "$v_types" = setup.program,setup.refused ]

# --- tokens: use, list without secrets, revoke ------------------------------------
req GET /api/v1/me "${A[@]}"
check "token: /me is token:ci-admin" [ "$(js .actor)" = token:ci-admin ]
req GET /api/v1/tokens "${A[@]}"
check "token list shows no secret" bash -c "[ $st = 200 ] && ! grep -q ecms_ body.json"
req DELETE "/api/v1/tokens/$admin_id" -b jar -H "X-CSRF-Token: $csrf"
check "token revoked: 204" [ "$st" = 204 ]
req GET /api/v1/me "${A[@]}"
check "revoked token: 401" [ "$st" = 401 ]

# --- actor attribution: an import through the API is ada's event -----------------
req POST /api/v1/import/suppliers -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/csv' \
	--data-binary $'id,name,status,authorised\nS-HTTP,Supplier over HTTP,approved,no\n'
check "import via API: 200, 1 created" bash -c "[ $st = 200 ] && [ \$(jq .created body.json) = 1 ]"
line=$("$ecms" log --type supplier.created --json | jq -r '.[] | select(.payload.id == "S-HTTP") | "\(.actor) \(.station)"')
check "ecms log: the import's actor is ada at station api" [ "$line" = "ada api" ]

# --- metrics -----------------------------------------------------------------------
req GET /metrics
head=$("$ecms" log --json | jq '.[-1].seq')
check "metrics: healthz counted (7 times)" grep -q '^ecms_http_requests_total{route="/healthz",method="GET",status="200"} 7$' body.json
check "metrics: 401s counted by route" grep -q '^ecms_http_requests_total{route="/api/v1/parts",method="GET",status="401"} [0-9]' body.json
check "metrics: unmatched paths counted" grep -q '^ecms_http_requests_total{route="unmatched",method="GET",status="404"} [0-9]' body.json
check "metrics: latency histogram" grep -q '^ecms_http_request_duration_seconds_bucket{route="/api/v1/login",le="+Inf"} [0-9]*$' body.json
check "metrics: ecms_events_total is the log head ($head)" grep -q "^ecms_events_total $head\$" body.json

# --- concurrency: reads and writes from many clients at once ------------------
export U AT="Authorization: Bearer ${tok[admin]}"
seq 1 60 | xargs -P 16 -I{} bash -c 'case $(({} % 3)) in
	0) curl -s -o /dev/null -w "%{http_code}\n" -H "$AT" "$U/api/v1/parts" ;;
	1) curl -s -o /dev/null -w "%{http_code}\n" -H "$AT" -H "Content-Type: text/csv" \
		--data-binary @sim-data/suppliers.csv "$U/api/v1/import/suppliers" ;;
	2) curl -s -o /dev/null -w "%{http_code}\n" -H "$AT" "$U/api/v1/log?limit=20" ;;
	esac' >parallel.txt
check "60 parallel reads and imports: all 200" \
	bash -c "[ \$(grep -c '^200\$' parallel.txt) = 60 ]"

# --- logout ----------------------------------------------------------------------------
req POST /api/v1/logout -b jar -H "X-CSRF-Token: $csrf"
check "logout: 204, cookie cleared" bash -c "[ $st = 204 ] && grep -qi '^Set-Cookie: ecms_session=;' hdr.txt"
req GET /api/v1/me -b jar
check "after logout the cookie is 401" [ "$st" = 401 ]

# --- login rate limit --------------------------------------------------------------------
codes=
for _ in 1 2 3 4 5 6; do
	req POST /api/v1/login "${J[@]}" -d '{"user": "vic", "password": "wrong password"}'
	codes="$codes$st "
done
check "rate limit: 5 x 401 then 429 ($codes)" [ "$codes" = "401 401 401 401 401 429 " ]
check "rate limit: Retry-After in seconds" grep -qE '^[0-9]+$' <<<"$(hdr Retry-After)"
req POST /api/v1/login "${J[@]}" -d '{"user": "vic", "password": "viewer pass1"}'
check "rate limit: even the right password waits" [ "$st" = 429 ]

# --- graceful shutdown with a request in flight ---------------------------------------------
curl -s -o slow.json -w '%{http_code}' --limit-rate 16k -X POST "$U/api/v1/import/parts" \
	-H "Authorization: Bearer ${tok[admin]}" -H 'Content-Type: text/csv' \
	--data-binary @sim-data/parts.csv >slow.code &
slow=$!
sleep 1
kill -TERM "$pid"
sleep 0.5
late=$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")
check "after SIGTERM new connections are refused" [ "$late" = 000 ]
wait "$slow"
check "the in-flight import finished: 200 ($(cat slow.code))" \
	bash -c "[ \"\$(cat slow.code)\" = 200 ] && [ \$(jq .records slow.json) -gt 0 ]"
wait "$pid"
rc=$?
pid=
check "ecms serve exited 0 after SIGTERM (exit $rc)" [ "$rc" = 0 ]
check "ecms serve said it stopped" grep -q 'ecms serve: stopped' serve.err
check "the log still verifies" bash -c "'$ecms' audit verify >/dev/null"

if [ "$failed" != 0 ]; then
	echo "--- serve.err (tail)"
	tail -20 serve.err
fi
exit $failed
