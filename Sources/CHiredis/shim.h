#ifndef OMS_CHIREDIS_SHIM_H
#define OMS_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

#endif
