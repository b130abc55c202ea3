/* main.c — bin/nlif. */
#include "nlif_cli.h"

int main(int argc, char **argv) { return nlif_main(argc, argv); }
