/*
 * main.c — simulate's entry point; everything else is in cli.c so tests can call it.
 */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
