// poisonlab-cli: the headless front end. Commands live beside it (poisonlab_cli).
#include "cli/CliCommand.h"

#include <iostream>

int main(int argc, char **argv)
{
    return poisonlab::cli::runCli(argc, argv, {std::cout, std::cerr});
}
