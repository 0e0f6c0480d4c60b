// bench_ui_responsiveness: how responsive the workbench stays while it fine-tunes CLIP.
// Opens the workbench on the demo data (the window, its pair browser and docks, shown), starts the
// demo experiment (the draft: preset demo-attack2) from the Train step's controller, and while it
// trains a 5 ms precise timer on the GUI thread measures how late each tick is served; the pair
// browser is scrolled every 250 ms so thumbnails keep decoding, as a user looking around would.
// Prints the percentiles of the lateness against the target (p99 <= 50 ms) and the
// machine's load. See bench/run_ui_responsiveness_bench.sh.
#include "EventLoopProbe.h"

#include "browser/PairBrowser.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDraft.h"
#include "poisonlab/core/Logging.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QThread>
#include <QTimer>

#include <cstdio>

namespace {

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2)
                                          : QStringLiteral("?");
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoisonLab-bench"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("data"), QStringLiteral("demo data folder (pascal/, coco/)"), QStringLiteral("dir")});
    parser.addOption({QStringLiteral("model"), QStringLiteral("demo CLIP weights"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("run folder (replaced)"), QStringLiteral("dir")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("seconds of training measured (default 60)"),
                      QStringLiteral("s"), QStringLiteral("60")});
    parser.process(app);
    const QString data = parser.value(QStringLiteral("data"));
    const QString model = parser.value(QStringLiteral("model"));
    const QString out = parser.value(QStringLiteral("out"));
    if (data.isEmpty() || model.isEmpty() || out.isEmpty()) {
        std::fputs("bench_ui_responsiveness: --data, --model and --out are required\n", stderr);
        return 2;
    }
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    poisonlab::initLogging("bench_ui_responsiveness");

    poisonlab::ui::MainWindow window;
    window.show();
    poisonlab::ui::WorkbenchOptions options;
    options.datasetRoot = data + QStringLiteral("/pascal");
    options.format = QStringLiteral("pascal-sentences");
    options.persistLayout = false;
    window.applyOptions(options);
    poisonlab::ui::ExperimentDraft *draft = window.draft();
    draft->setVariable(QStringLiteral("data"), data);
    draft->setVariable(QStringLiteral("model"), model);

    EventLoopProbe probe(5);
    poisonlab::ui::ExperimentController *controller = window.trainingController();
    QTimer scroller;
    scroller.setInterval(250);
    QObject::connect(&scroller, &QTimer::timeout, &window, [&window] {
        QScrollBar *bar = window.browser()->gridView()->verticalScrollBar();
        bar->setValue(bar->value() >= bar->maximum() ? 0 : bar->value() + bar->pageStep() / 2);
    });
    bool training = false;
    QObject::connect(controller, &poisonlab::ui::ExperimentController::stepReported, &window, [&] {
        if (training)
            return;
        training = true; // measure from the first step on: the model is loaded, the data read
        probe.start();
        scroller.start();
        QTimer::singleShot(seconds * 1000, &window, [&] {
            probe.stop();
            scroller.stop();
            controller->cancel(); // when the run is still going; a finished run has stopped both already
        });
    });
    auto finish = [&](const char *how) {
        probe.stop();
        scroller.stop();
        std::printf("workbench event-loop lateness while training (%s), %zu ticks of 5 ms over %.1f s\n", how,
                    probe.ticks(), probe.seconds());
        std::printf("  p50 %.2f ms   p95 %.2f ms   p99 %.2f ms   max %.2f ms\n", probe.percentile(50),
                    probe.percentile(95), probe.percentile(99), probe.maxLateMs());
        std::printf("  target p99 <= 50 ms: p99/target = %.3f (%s)\n", probe.percentile(99) / 50.0,
                    probe.percentile(99) <= 50.0 ? "met" : "NOT met");
        std::printf("  load average at the end: %s; cores: %d\n", qPrintable(loadAverage()),
                    QThread::idealThreadCount());
        QApplication::exit(probe.ticks() > 0 ? 0 : 1);
    };
    QObject::connect(controller, &poisonlab::ui::ExperimentController::cancelled, &window,
                     [&] { finish("cancelled"); });
    QObject::connect(controller, &poisonlab::ui::ExperimentController::finished, &window, [&] { finish("finished"); });
    QObject::connect(controller, &poisonlab::ui::ExperimentController::failed, &window, [&](const QString &message) {
        std::fprintf(stderr, "bench_ui_responsiveness: the run failed: %s\n", qPrintable(message));
        QApplication::exit(1);
    });
    QTimer::singleShot(0, &window, [&] {
        if (!controller->start(draft->document(), QDir::current().absoluteFilePath(QStringLiteral("bench.json")),
                               draft->variables(), out, true))
            QApplication::exit(1);
    });
    return QApplication::exec();
}
