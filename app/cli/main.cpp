// poisonlab-cli: the headless front end. Commands live in core/src/cli/.
#include "poisonlab/core/cli/CliCommand.h"

#include <iostream>

int main(int argc, char **argv)
{
    return poisonlab::cli::runCli(argc, argv, {std::cout, std::cerr});
}
