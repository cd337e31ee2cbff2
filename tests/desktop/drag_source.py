"""A tiny window that starts a native file drag (an XDND source) when pressed: the test moves the
pointer with xdotool from here onto the app, as a user drags a file from their file manager.
Usage: python drag_source.py FILE X Y  (prints "ready" once the window is on screen)."""

from __future__ import annotations

import sys

from PyQt6.QtCore import QMimeData, Qt, QTimer, QUrl
from PyQt6.QtGui import QDrag
from PyQt6.QtWidgets import QApplication, QLabel


class DragSource(QLabel):
    def __init__(self, path: str) -> None:
        super().__init__(f"drag me: {path.rsplit('/', 1)[-1]}")
        self.path = path
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #fde68a; color: #111; font: 12px sans-serif; border: 2px solid #b45309;")
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)

    def mousePressEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(self.path)])
        drag = QDrag(self)
        drag.setMimeData(mime)
        result = drag.exec(Qt.DropAction.CopyAction)
        print(f"drag finished: {result}", flush=True)


def main() -> None:
    path, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = QApplication(sys.argv[:1])
    window = DragSource(path)
    window.setGeometry(x, y, 160, 60)
    window.show()
    QTimer.singleShot(300, lambda: print("ready", flush=True))
    app.exec()


if __name__ == "__main__":
    main()
