import ApplicationServer

/// The Application Server's `Application`, under a name that files importing Hummingbird (which has an
/// `Application` of its own) can use. This file must not import Hummingbird.
typealias ApplicationRecord = Application
