# ecms init creates the database once and reports it up to date after.
$ ecms init
test.db: created, schema version 15
$ ecms init
test.db: schema version 15, up to date

# Unknown commands and options are usage errors (exit 2).
$ ecms frobnicate
ecms: unknown command 'frobnicate'; see 'ecms help'
[2]
$ ecms --color init
ecms: unknown global option '--color'
usage: ecms [--db PATH] [--user U] [--station S] [--now TIME] COMMAND [ARGS]
       ecms help [COMMAND]    ecms COMMAND --help    ecms --version
[2]
