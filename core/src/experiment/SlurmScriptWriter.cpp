#include "poisonlab/core/experiment/SlurmScriptWriter.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <cctype>
#include <regex>
#include <sstream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

// A word for bash: single-quoted, a quote inside written as '\''.
std::string shellQuoted(const std::string &text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// #SBATCH values are not shell words: whitespace or a newline would end or break the line.
void checkDirectiveValue(const std::string &option, const std::string &value)
{
    if (value.find_first_of(" \t\r\n") != std::string::npos)
        throw Error("--slurm " + option + " \"" + value + "\": an #SBATCH value cannot hold spaces or line breaks");
}

void checkOptions(const fs::path &sweepDir, const SlurmOptions &o)
{
    checkDirectiveValue("--partition", o.partition);
    checkDirectiveValue("--account", o.account);
    checkDirectiveValue("--mem", o.memory);
    checkDirectiveValue("--job-name", o.jobName);
    checkDirectiveValue("sweep folder", sweepDir.string());
    static const std::regex timeForm(R"(^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$)");
    if (!o.time.empty() && !std::regex_match(o.time, timeForm))
        throw Error("--time \"" + o.time + "\": not a Slurm time (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)");
    if (o.gpusPerTask < 0 || o.cpusPerTask < 0 || o.throttle < 0 || o.processesPerCell < 0)
        throw Error("--gpus-per-task, --cpus-per-task, --throttle and --nproc must be 0 or more");
    for (const auto &line : o.extra)
        if (line.find_first_of("\r\n") != std::string::npos)
            throw Error("--sbatch \"" + line + "\": one #SBATCH line each, without line breaks");
}

std::string jobNameFor(const SweepIndex &index, const SlurmOptions &o)
{
    if (!o.jobName.empty())
        return o.jobName;
    std::string name = "poisonlab-" + index.configName;
    for (char &c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            c = '_';
    return name;
}

void writeDirectives(std::ostream &s, const fs::path &dir, const SweepIndex &index, const SlurmOptions &o)
{
    s << "#SBATCH --job-name=" << jobNameFor(index, o) << "\n";
    s << "#SBATCH --array=0-" << index.cells.size() - 1;
    if (o.throttle > 0)
        s << "%" << o.throttle;
    s << "\n#SBATCH --output=" << (dir / "logs" / "%A_%a.out").string() << "\n";
    s << "#SBATCH --ntasks=1\n";
    if (!o.partition.empty())
        s << "#SBATCH --partition=" << o.partition << "\n";
    if (o.gpusPerTask > 0)
        s << "#SBATCH --gpus-per-task=" << o.gpusPerTask << "\n";
    if (o.cpusPerTask > 0)
        s << "#SBATCH --cpus-per-task=" << o.cpusPerTask << "\n";
    if (!o.memory.empty())
        s << "#SBATCH --mem=" << o.memory << "\n";
    if (!o.time.empty())
        s << "#SBATCH --time=" << o.time << "\n";
    if (!o.account.empty())
        s << "#SBATCH --account=" << o.account << "\n";
    for (const auto &line : o.extra)
        s << (line.rfind("#SBATCH", 0) == 0 ? line : "#SBATCH " + line) << "\n";
}

} // namespace

std::string SlurmScriptWriter::script(const fs::path &sweepDir, const SweepIndex &index, const SlurmOptions &o)
{
    if (index.cells.empty())
        throw Error(sweepDir, "the sweep has no cells to run");
    const fs::path dir = fs::absolute(sweepDir).lexically_normal();
    checkOptions(dir, o);
    const std::string device = !o.device.empty() ? o.device : (o.gpusPerTask > 0 ? "cuda" : "");
    const int processes = o.processesPerCell > 0 ? o.processesPerCell : std::max(1, o.gpusPerTask);
    const std::string nproc = processes > 1 ? " --nproc " + std::to_string(processes) : "";

    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Slurm array job for the sweep of \"" << index.configName << "\" in " << dir.string() << ":\n"
      << "# " << index.cells.size() << " cells, array task i runs cell i of sweep.json. Written by\n"
      << "# `poisonlab-cli sweep --slurm`; submit with `sbatch " << (dir / kFileName).string() << "`,\n"
      << "# follow with `poisonlab-cli sweep-status " << dir.string() << "`.\n";
    writeDirectives(s, dir, index, o);
    s << "\nset -euo pipefail\n\n"
      << "SWEEP_DIR=" << shellQuoted(dir.string()) << "\n"
      << "POISONLAB_CLI=\"${POISONLAB_CLI:-" << o.cli << "}\"\n";
    if (o.cpusPerTask > 0)
        s << "export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-" << o.cpusPerTask << "}\"\n";
    s << "\n# cell name, config and run directory (relative to SWEEP_DIR) by array index\nCELLS=(\n";
    for (const auto &c : index.cells)
        s << "  " << shellQuoted(c.name) << "\n";
    s << ")\nCONFIGS=(\n";
    for (const auto &c : index.cells)
        s << "  " << shellQuoted(c.configFile.generic_string()) << "\n";
    s << ")\nRUN_DIRS=(\n";
    for (const auto &c : index.cells)
        s << "  " << shellQuoted(c.runDir.generic_string()) << "\n";
    s << ")\n\n"
      << "if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then\n"
      << "  echo \"submit this script with sbatch: it is a Slurm array job (SLURM_ARRAY_TASK_ID is not set)\" >&2\n"
      << "  exit 2\nfi\n"
      << "TASK=\"$SLURM_ARRAY_TASK_ID\"\n"
      << "CELL=\"${CELLS[$TASK]}\"\n"
      << "CONFIG=\"$SWEEP_DIR/${CONFIGS[$TASK]}\"\n"
      << "RUN_DIR=\"$SWEEP_DIR/${RUN_DIRS[$TASK]}\"\n"
      << "echo \"sweep cell $TASK: $CELL on $(hostname)\"\n\n"
      << "if [ -f \"$RUN_DIR/run.json\" ]; then\n"
      << "  if grep -q '\"status\": *\"finished\"' \"$RUN_DIR/run.json\"; then\n"
      << "    echo \"cell $CELL already finished\"\n"
      << "    exit 0\n  fi\n"
      << "  # started before (cancelled, failed, or killed at its time limit): continue from its checkpoint\n"
      << "  exec \"$POISONLAB_CLI\" resume \"$RUN_DIR\"" << nproc << "\nfi\n"
      << "exec \"$POISONLAB_CLI\" run \"$CONFIG\" --out \"$RUN_DIR\""
      << (device.empty() ? "" : " --device " + shellQuoted(device)) << nproc << "\n";
    return s.str();
}

void SlurmScriptWriter::validate(const fs::path &sweepDir, const SlurmOptions &options)
{
    checkOptions(fs::absolute(sweepDir).lexically_normal(), options);
}

fs::path SlurmScriptWriter::write(const fs::path &sweepDir, const SweepIndex &index, const SlurmOptions &options)
{
    const std::string text = script(sweepDir, index, options);
    const fs::path file = sweepDir / kFileName;
    fs::create_directories(sweepDir / "logs");
    writeFileAtomically(file, text);
    fs::permissions(file, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
    return file;
}

} // namespace poisonlab::experiment
