#pragma once

#include <QApplication>

namespace poisonlab::ui {

/// The workbench's QApplication: before it delivers any event, in any thread, it takes the
/// hand-offs posted so far (HandOff::received), so ThreadSanitizer sees every queued call and
/// queued signal argument made on another thread happen before the slot reads it. Nothing else
/// differs from QApplication; outside a TSan build received() is empty.
class HandOffApplication : public QApplication {
public:
    HandOffApplication(int &argc, char **argv);
    bool notify(QObject *receiver, QEvent *event) override;
};

} // namespace poisonlab::ui
