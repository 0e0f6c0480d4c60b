#include "poisonlab/ui/MainWindow.h"

namespace poisonlab::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("PoisonLab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/poisonlab.svg")));
    resize(1200, 800);
}

MainWindow::~MainWindow() = default;

} // namespace poisonlab::ui
