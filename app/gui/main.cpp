// poisonlab: the Qt workbench. Everything but wiring lives in poisonlab_ui.
#include "jobs/HandOffApplication.h"
#include "poisonlab/core/Logging.h"
#include "poisonlab/core/Version.h"
#include "window/MainWindow.h"
#include "window/WorkbenchCommandLine.h"

#include <QApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    poisonlab::ui::HandOffApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoisonLab"));
    QApplication::setOrganizationName(QStringLiteral("PoisonLab"));
    QApplication::setApplicationVersion(QString::fromStdString(poisonlab::projectVersion()));

    using poisonlab::ui::WorkbenchCommandLine;
    const WorkbenchCommandLine commandLine = WorkbenchCommandLine::parse(QApplication::arguments());
    if (commandLine.action != WorkbenchCommandLine::Action::Run) {
        std::fputs(qPrintable(commandLine.text + QLatin1Char('\n')),
                   commandLine.action == WorkbenchCommandLine::Action::Fail ? stderr : stdout);
        return commandLine.exitCode;
    }
    poisonlab::initLogging("poisonlab");
    poisonlab::ui::MainWindow window;
    window.show();
    window.applyOptions(commandLine.options);
    return QApplication::exec();
}
