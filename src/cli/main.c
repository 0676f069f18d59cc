/*
 * main.c — simulate's entry point; everything else is in cli.c so tests can call it. Under
 * mpirun every rank runs the same command (src/task/).
 */
#include "cli/cli.h"
#include "task/task.h"

int main(int argc, char **argv)
{
    task_mpi_start(&argc, &argv);
    return task_mpi_stop(cli_main(argc, argv));
}
