/* version.h: the one place the nyckel version is written. */
#ifndef NYCKEL_VERSION_H
#define NYCKEL_VERSION_H
#define NYCKEL_VERSION "0.1.0"
#endif
