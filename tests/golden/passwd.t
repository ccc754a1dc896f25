# `ecms user passwd` reads the secret from standard input; only its
# Argon2id hash is stored, and setting it is an event without the secret.
$ ecms init >/dev/null
$ ecms --user ada import users $DATA/users.csv >/dev/null
$ echo 'correct horse' | ecms --user ada user passwd ada
ada: password set
$ ecms log --json | grep -q 'correct horse' && echo LEAKED || echo 'not in the log'
not in the log
$ ecms log --type user.secret_set --json | grep -c '"hash": "\$argon2id\$v=19\$'
1
$ echo '1234' | ecms user passwd ada --pin
ada: PIN set

# Too short, not digits, unknown user, nothing on stdin: errors.
$ echo 'short' | ecms user passwd ada
ecms: a password has at least 8 characters
[3]
$ echo '12ab' | ecms user passwd ada --pin
ecms: a PIN is 4 to 8 digits
[3]
$ echo 'long enough' | ecms user passwd nobody
ecms: no user 'nobody'
[3]
$ ecms user passwd ada </dev/null
ecms: no password on standard input
[2]
$ ecms user passwd
ecms: missing argument
usage: ecms user passwd USER [--pin]
[2]
$ ecms user passwd ada extra
ecms: unexpected argument 'extra'
usage: ecms user passwd USER [--pin]
[2]

# `ecms serve` refuses a bad address or thread count before it starts,
# and a store that is not there.
$ ecms serve --listen nonsense
ecms serve: --listen 'nonsense': expected ADDR:PORT or [IPV6]:PORT
[2]
$ ecms serve --listen 127.0.0.1:99999
ecms serve: --listen '127.0.0.1:99999': expected ADDR:PORT or [IPV6]:PORT
[2]
$ ecms serve --threads 0
ecms: --threads: '0' is not a number from 1 to 64
usage: ecms serve [--listen ADDR:PORT] [--threads N] [--secure-cookie] [--db PATH]
[2]
$ ecms --db missing.db serve --listen 127.0.0.1:0
ecms serve: cannot open database missing.db: no such file (create it with 'ecms init')
[3]
