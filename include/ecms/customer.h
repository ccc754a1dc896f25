/*
 * customer.h: who owns what, for the customer portal. A user of role
 * 'customer' is bound to one customer (users.customer); the server shows
 * it an object only when that object's owner is its customer. Which
 * customer owns an object is answered here, per kind of object, so the
 * server asks one question whatever the route.
 */
#ifndef ECMS_CUSTOMER_H
#define ECMS_CUSTOMER_H

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The customer owning object id of a kind ("work_order", "board") into *customer (caller frees with
 * ecms_free; NULL when the object has no customer, e.g. a build for stock). ECMS_ENOTFOUND for an
 * unknown object; ECMS_EINVAL for an unknown kind.
 */
int ecms_owner_of(ecms *h, const char *kind, const char *id, char **customer /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
