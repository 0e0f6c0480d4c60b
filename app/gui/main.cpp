// poisonlab: the Qt workbench. Everything but wiring lives in poisonlab_ui.
#include "poisonlab/core/Logging.h"
#include "poisonlab/ui/MainWindow.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PoisonLab"));
    QApplication::setOrganizationName(QStringLiteral("PoisonLab"));
    poisonlab::initLogging("poisonlab");
    poisonlab::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
