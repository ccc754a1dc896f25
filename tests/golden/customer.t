# Customer-portal users: role customer is bound to one customer (the name
# work orders carry). The binding is required for that role and refused for
# staff; nothing of a bad file is imported.
$ ecms init >/dev/null
$ printf 'id,name,role,customer\nada,Ada Admin,admin,\ncora,Cora at Medico,customer,MEDICO\n' > u.csv
$ ecms --user ada import users u.csv
u.csv: 2 records: 2 created, 0 updated, 0 unchanged
$ ecms user show cora
id        cora
name      Cora at Medico
role      customer
badge     -
active    yes
customer  MEDICO
$ printf 'id,name,role,customer\nbob,Bob,customer,\nqin,Qin,qa,MEDICO\n' > bad.csv
$ ecms --user ada import users bad.csv
bad.csv:2: column 'customer' is required for role 'customer' (the customer it may see)
bad.csv:3: column 'customer' is only for role 'customer', not 'qa'
ecms: bad.csv: 2 errors, nothing imported
[3]
$ ecms user list
ID    ROLE      ACTIVE  NAME
ada   admin     yes     Ada Admin
cora  customer  yes     Cora at Medico
$ ecms user show cora --json
{
  "id": "cora",
  "name": "Cora at Medico",
  "role": "customer",
  "badge": null,
  "active": true,
  "customer": "MEDICO"
}
