#pragma once

#include <QString>
#include <QStringList>

namespace poisonlab::ui {

/// What `poisonlab [--dataset DIR --format F [--annotations FILE]...]` asks for at start-up.
struct WorkbenchOptions {
    QString datasetRoot;       ///< empty: start without a dataset
    QString format;            ///< dataset-format id, e.g. "pascal-sentences"
    QStringList annotations;   ///< annotation files, in the order given
    QString screenshotPath;    ///< when set: save a picture of the window once it settled, then quit
    QString runDir;            ///< a run directory to show in the run viewer (after the dataset opened)
    QStringList compareRuns;   ///< every --run given; with two or more they are compared on Results
    QString sweepDir;          ///< a sweep folder (poisonlab-cli sweep) to show on Results › Sweep
    QString experimentPath;    ///< an experiment config to load into the Attack and Train steps
    bool train = false;        ///< start training the experiment at once (demos, screenshots)
    int screenshotDelayMs = 0; ///< wait at least this long before the screenshot (live charts)
    QString panel;             ///< a panel to bring to the front (one of WorkbenchCommandLine::panelNames())
    bool persistLayout = true; ///< restore and save the window layout (QSettings)
};

/// The outcome of parsing the workbench's command line.
struct WorkbenchCommandLine {
    enum class Action { Run, ShowText, Fail };
    Action action = Action::Run;
    WorkbenchOptions options;
    QString text;     ///< help or version text (ShowText), or the error message (Fail)
    int exitCode = 0; ///< for ShowText/Fail: 0 after --help/--version, 2 for bad usage

    /// Parses the arguments (arguments[0] is the program). Never exits the process.
    static WorkbenchCommandLine parse(const QStringList &arguments);
    /// The panels `--panel` can bring to the front: the four steps and the data docks.
    static QStringList panelNames();
};

} // namespace poisonlab::ui
