#include "jobs/HandOffApplication.h"

#include "jobs/HandOff.h"

namespace poisonlab::ui {

HandOffApplication::HandOffApplication(int &argc, char **argv) : QApplication(argc, argv)
{
}

bool HandOffApplication::notify(QObject *receiver, QEvent *event)
{
    HandOff::received();
    return QApplication::notify(receiver, event);
}

} // namespace poisonlab::ui
