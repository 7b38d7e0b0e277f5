//! Rules for Apache Brooklyn blueprints (Clocker's included).

super::register! {
    undefined_brooklyn_component::UndefinedBrooklynComponent,
}
