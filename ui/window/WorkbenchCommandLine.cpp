#include "window/WorkbenchCommandLine.h"

#include "poisonlab/core/Version.h"

#include <QCommandLineParser>
#include <QObject>

namespace poisonlab::ui {

QStringList WorkbenchCommandLine::panelNames()
{
    // The steps, the Results step's analysis views (ResultsPage::tabIds()) and its Sweep tab, the
    // Data step's docks.
    return {QStringLiteral("data"),           QStringLiteral("attack"),         QStringLiteral("train"),
            QStringLiteral("results"),        QStringLiteral("retrieval"),      QStringLiteral("embeddingMap"),
            QStringLiteral("distances"),      QStringLiteral("embeddingShift"), QStringLiteral("defense"),
            QStringLiteral("classPairs"),     QStringLiteral("sweep"),          QStringLiteral("details"),
            QStringLiteral("classHistogram"), QStringLiteral("skippedItems")};
}

WorkbenchCommandLine WorkbenchCommandLine::parse(const QStringList &arguments)
{
    WorkbenchCommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QObject::tr("PoisonLab workbench: browse image-caption datasets and study poisoning attacks on CLIP."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption dataset(QStringLiteral("dataset"),
                                     QObject::tr("Open the dataset rooted at <dir> on start."), QObject::tr("dir"));
    const QCommandLineOption format(
        QStringLiteral("format"),
        QObject::tr("Its format: pascal-sentences, karpathy, flickr30k-token, coco, paper-json or csv."),
        QObject::tr("format"));
    const QCommandLineOption annotations(QStringLiteral("annotations"),
                                         QObject::tr("An annotation file of the dataset (repeat for several)."),
                                         QObject::tr("file"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QObject::tr("Save a PNG of the window once the dataset and the visible "
                                                    "thumbnails have loaded, then quit (for docs and tests)."),
                                        QObject::tr("file"));
    const QCommandLineOption run(QStringLiteral("run"),
                                 QObject::tr("Show the run directory <dir> in the run viewer (and mark its poisoned "
                                             "pairs when the dataset is the run's). Repeat to compare several."),
                                 QObject::tr("dir"));
    const QCommandLineOption sweep(QStringLiteral("sweep"),
                                   QObject::tr("Show the sweep folder <dir> (made by poisonlab-cli sweep) on the "
                                               "Results step's Sweep tab: its cells, charts and class-pair grid."),
                                   QObject::tr("dir"));
    const QCommandLineOption experiment(QStringLiteral("experiment"),
                                        QObject::tr("Load the experiment config <file> into the Attack and Train "
                                                    "steps (default: the demo-attack2 preset)."),
                                        QObject::tr("file"));
    const QCommandLineOption train(QStringLiteral("train"),
                                   QObject::tr("Start training the experiment at once (Train step)."));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                   QObject::tr("Take the --screenshot no sooner than <seconds> after start (to "
                                               "show live charts with --train)."),
                                   QObject::tr("seconds"));
    const QCommandLineOption panel(QStringLiteral("panel"),
                                   QObject::tr("Bring the panel <name> to the front (before --screenshot): %1.")
                                       .arg(panelNames().join(QStringLiteral(", "))),
                                   QObject::tr("name"));
    parser.addOptions({dataset, format, annotations, screenshot, run, sweep, panel, experiment, train, delay});

    auto fail = [&](const QString &message) {
        result.action = Action::Fail;
        result.exitCode = 2;
        result.text = message + QLatin1Char('\n') + QObject::tr("Try 'poisonlab --help'.");
        return result;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(help)) {
        result.action = Action::ShowText;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.action = Action::ShowText;
        result.text = QString::fromStdString(versionLine());
        return result;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QObject::tr("Unexpected argument '%1'.").arg(parser.positionalArguments().first()));
    result.options.datasetRoot = parser.value(dataset);
    result.options.format = parser.value(format);
    result.options.annotations = parser.values(annotations);
    result.options.screenshotPath = parser.value(screenshot);
    result.options.compareRuns = parser.values(run);
    result.options.runDir = result.options.compareRuns.value(0);
    result.options.sweepDir = parser.value(sweep);
    result.options.experimentPath = parser.value(experiment);
    result.options.train = parser.isSet(train);
    if (parser.isSet(delay)) {
        bool ok = false;
        const double seconds = parser.value(delay).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 3600)
            return fail(
                QObject::tr("--screenshot-delay takes seconds between 0 and 3600, not '%1'.").arg(parser.value(delay)));
        result.options.screenshotDelayMs = int(seconds * 1000);
    }
    result.options.panel = parser.value(panel);
    if (parser.isSet(panel) && !panelNames().contains(result.options.panel))
        return fail(QObject::tr("Unknown panel '%1' (panels: %2).")
                        .arg(result.options.panel, panelNames().join(QStringLiteral(", "))));
    if (result.options.datasetRoot.isEmpty() && (parser.isSet(format) || parser.isSet(annotations)))
        return fail(QObject::tr("--format and --annotations need --dataset DIR."));
    if (!result.options.datasetRoot.isEmpty() && result.options.format.isEmpty())
        return fail(QObject::tr("--dataset needs --format (pascal-sentences, karpathy, flickr30k-token, coco, "
                                "paper-json or csv)."));
    return result;
}

} // namespace poisonlab::ui
