# `ecms serve` refuses a bad address or thread count before it starts,
# and a store that is not there. (tests/integration/serve.sh runs it.)
$ ecms serve --listen nonsense
ecms serve: --listen 'nonsense': expected ADDR:PORT or [IPV6]:PORT
[2]
$ ecms serve --listen 127.0.0.1:99999
ecms serve: --listen '127.0.0.1:99999': expected ADDR:PORT or [IPV6]:PORT
[2]
$ ecms serve --listen :8080
ecms serve: --listen ':8080': expected ADDR:PORT or [IPV6]:PORT
[2]
$ ecms serve --threads 0
ecms: --threads: '0' is not a number from 1 to 64
usage: ecms serve [--listen ADDR:PORT] [--threads N] [--secure-cookie] [--db PATH]
[2]
$ ecms serve extra
ecms: unexpected argument 'extra'
usage: ecms serve [--listen ADDR:PORT] [--threads N] [--secure-cookie] [--db PATH]
[2]
$ ecms --db missing.db serve --listen 127.0.0.1:0
ecms serve: cannot open database missing.db: no such file (create it with 'ecms init')
[3]
