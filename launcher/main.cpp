// The thin main: everything else lives in ipcbox_core, so the tests can link it.
#include "launcher/commands.hpp"

int main(int argc, char** argv) {
    return ipcbox::launcher::dispatch(argc, argv);
}
